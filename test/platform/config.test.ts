import { describe, expect, it } from 'vitest';
import { parseConfig, formatConfigProblem } from '../../src/config/load.js';

const HEAD = `version: 1
environments:
  test:
    requireApproval: false
    budget: { monthly: 100 }
`;

async function problems(platform: string): Promise<string[]> {
  const r = await parseConfig(`${HEAD}platform:\n${platform}`, 'config.yaml');
  return r.problems.map(formatConfigProblem);
}

describe('config: platform section', () => {
  it('accepts the phases of the issue, with their gates', async () => {
    const r = await parseConfig(
      `${HEAD}platform:
  timeoutSeconds: 20
  pendingGraceMinutes: 15
  dnsDeployment: kube-system/coredns
  phases:
    - name: cluster
      gates: [{ check: nodesReady, min: 2 }]
    - name: networking
      dependsOn: [cluster]
      gates: [{ check: deploymentReady, namespace: kube-system, name: coredns }]
    - name: addons
      dependsOn: [networking]
      gates: [{ check: helmRelease, namespace: karpenter, release: karpenter }, { check: noPendingPods, namespace: karpenter }]
`,
      'config.yaml',
    );
    expect(r.problems).toEqual([]);
    expect(r.config?.platform?.phases?.map((p) => p.name)).toEqual(['cluster', 'networking', 'addons']);
  });

  it('names the field and line of a bad gate', async () => {
    expect(await problems(`  phases:
    - name: addons
      gates:
        - { check: helmRelease, namespace: karpenter }
`)).toEqual(['config.yaml:10: /platform/phases/0/gates/0/release is required']);
    expect(await problems(`  phases:
    - name: addons
      gates:
        - check: podsReady
`)).toEqual(['config.yaml:10: /platform/phases/0/gates/0/check must be one of the allowed values (allowed: "nodesReady", "deploymentReady", "helmRelease", "noPendingPods")']);
    expect(await problems(`  phases:
    - name: Cluster Phase
      gates: [{ check: nodesReady, min: 0 }]
`)).toEqual([
      'config.yaml:8: /platform/phases/0/name must match pattern "^[a-z][a-z0-9-]{0,62}$"',
      'config.yaml:9: /platform/phases/0/gates/0/min must be >= 1',
    ]);
    expect(await problems(`  phases:
    - name: cluster
      gate: [{ check: nodesReady }]
`)).toEqual([
      'config.yaml:8: /platform/phases/0/gates is required',
      'config.yaml:9: /platform/phases/0/gate is not a known field',
    ]);
  });
});

describe('schemas agree with the code', () => {
  it('every gate kind registered is allowed by the config schema, and every blocker code by the output schema', async () => {
    const { readFileSync } = await import('node:fs');
    const { GATES } = await import('../../src/platform/gates/index.js');
    const { BLOCKER_CODES } = await import('../../src/platform/types.js');
    const config = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));
    expect([...config.definitions.platformGate.properties.check.enum].sort()).toEqual(Object.keys(GATES).sort());
    const check = JSON.parse(readFileSync(new URL('../../schemas/cli/platform-check.schema.json', import.meta.url), 'utf8'));
    expect(check.definitions.blocker.properties.code.enum).toEqual([...BLOCKER_CODES]);
    expect([...check.properties.phases.items.properties.gates.items.properties.check.enum].sort()).toEqual(Object.keys(GATES).sort());
  });
});
