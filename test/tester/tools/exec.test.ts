import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary, firstStderrLine, oneLine, runTool } from '../../../src/tester/tools/exec.js';
import { FAKE_BIN, makeSandbox } from './helpers.js';

let box: ReturnType<typeof makeSandbox>;
beforeAll(() => {
  box = makeSandbox();
});
afterAll(() => box.cleanup());

const node = process.execPath;

describe('findBinary', () => {
  it('finds an executable on PATH and returns its absolute path', async () => {
    const env = box.env('findings');
    expect(await findBinary('trivy', env)).toBe(path.join(FAKE_BIN, 'findings', 'trivy'));
    expect(await findBinary('node', env)).toBe(path.join(box.nodeDir, 'node'));
  });

  it('returns null for a missing tool, an empty PATH, or PATH entries that are relative or empty', async () => {
    expect(await findBinary('trivy', box.env('none'))).toBeNull();
    expect(await findBinary('trivy', { PATH: '' })).toBeNull();
    expect(await findBinary('trivy', {})).toBeNull();
    const rel = path.relative(process.cwd(), path.join(FAKE_BIN, 'findings'));
    expect(await findBinary('trivy', { PATH: `${path.delimiter}${rel}` })).toBeNull();
  });

  it('skips files that are not executable and directories with the name, and keeps looking', async () => {
    const a = path.join(box.root, 'path-a');
    const b = path.join(box.root, 'path-b');
    mkdirSync(path.join(a, 'tfsec'), { recursive: true }); // a directory named like the tool
    mkdirSync(b);
    writeFileSync(path.join(b, 'tfsec'), '#!/bin/sh\n');
    chmodSync(path.join(b, 'tfsec'), 0o644);
    const later = path.join(FAKE_BIN, 'crash');
    expect(await findBinary('tfsec', { PATH: [a, b, later].join(path.delimiter) })).toBe(path.join(later, 'tfsec'));
  });
});

describe('runTool', () => {
  it('passes arguments verbatim (no shell) and returns exit code and output', async () => {
    const tricky = ['a b', '$(touch pwned)', '`id`', '; rm -rf x', "it's", '"q"', '*'];
    const r = await runTool(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1))); process.exit(3)', ...tricky], {
      cwd: box.dir,
    });
    expect(r.error).toBeNull();
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual(tricky);
    expect(r.timedOut).toBe(false);
    expect(r.args).toEqual(['-e', expect.any(String), ...tricky]);
    expect(box.pwned()).toBe(false);
  });

  it('uses exactly the given environment (not merged with ours) and closes stdin', async () => {
    const r = await runTool(node, ['-e', 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>process.stdout.write(JSON.stringify({keys:Object.keys(process.env).sort(),d})))'], {
      env: { ONLY_THIS: '1' },
    });
    expect(JSON.parse(r.stdout)).toEqual({ keys: ['ONLY_THIS'], d: '' });
  });

  it('a missing binary is "not installed", not an exception', async () => {
    const r = await runTool(path.join(box.root, 'no-such-tool'), ['--version']);
    expect(r.exitCode).toBeNull();
    expect(r.error).toBe(`not installed (${path.join(box.root, 'no-such-tool')} not found)`);
  });

  it('a missing working directory is reported as such (not as "not installed")', async () => {
    const r = await runTool(node, ['-e', ''], { cwd: path.join(box.root, 'gone') });
    expect(r.error).toBe(`working directory not found: ${path.join(box.root, 'gone')}`);
  });

  it('a tool that runs past the timeout is killed and marked timed out', async () => {
    const r = await runTool(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.error).toBe('timed out after 0.3 s');
  });

  it('returns after the timeout even when a grandchild still holds the output pipes', async () => {
    const pidFile = path.join(box.root, 'grandchild.pid');
    const script = [
      'const { spawn } = require("node:child_process");',
      'const g = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: ["ignore", "inherit", "inherit"] });',
      `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));`,
      'process.stdout.write("partial output");',
      'setTimeout(() => {}, 60000);',
    ].join('\n');
    const r = await runTool(node, ['-e', script], { timeoutMs: 300 });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    let grandchildAlive = true;
    try {
      process.kill(pid, 0);
    } catch {
      grandchildAlive = false;
    }
    if (grandchildAlive) process.kill(pid, 'SIGKILL');
    // We came back while the grandchild (60 s) was still running: the timeout bounds the run.
    expect(grandchildAlive).toBe(true);
    expect(r.timedOut).toBe(true);
    expect(r.error).toBe('timed out after 0.3 s');
    expect(r.stdout).toBe('partial output');
  });

  it('output beyond the buffer cap stops the tool with a clear error', async () => {
    const r = await runTool(node, ['-e', 'process.stdout.write("x".repeat(100000))'], { maxBufferBytes: 1024 });
    expect(r.error).toBe('output larger than 1024 bytes; stopped');
    expect(r.stdout.length).toBeLessThanOrEqual(1024);
    const mib = await runTool(node, ['-e', 'process.stdout.write("x".repeat(2 * 1024 * 1024))'], { maxBufferBytes: 1024 * 1024 });
    expect(mib.error).toBe('output larger than 1 MiB; stopped');
  });

  it('a tool killed by a signal is an error naming the signal', async () => {
    const r = await runTool(node, ['-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(r.error).toBe('killed by SIGKILL');
    expect(r.exitCode).toBeNull();
  });
});

describe('firstStderrLine / oneLine', () => {
  it('prefers the error line over earlier warnings and drops terraform frames and colours', () => {
    const stderr = 'There are some problems with the CLI configuration:\n╷\n│ Warning: x\n╵\n\n\u001b[31mError: \u001b[0mboom\nsecret=1\n';
    expect(firstStderrLine(stderr)).toBe('Error: boom');
  });

  it('falls back to the first non-empty line; null when there is none', () => {
    expect(firstStderrLine('\n  \nsomething odd happened\nnext')).toBe('something odd happened');
    expect(firstStderrLine(' \n')).toBeNull();
  });

  it('never more than one line of at most 300 characters', () => {
    const long = firstStderrLine(`Error: ${'a'.repeat(1000)}\nmore`);
    expect(long).toHaveLength(300);
    expect(long!.endsWith('…')).toBe(true);
    expect(oneLine('a\nb\r\n  c')).toBe('a b c');
  });
});
