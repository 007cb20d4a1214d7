import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScannerParseError, avdForms, jsonErrorOffset, normaliseSeverity, parseJson, relPath } from '../../../src/tester/scanners/common.js';
import { fixture } from './helpers.js';

describe('parseJson error reporting', () => {
  it('every strict prefix of a real report is reported as truncated at its end', () => {
    const text = fixture('trivy-remote-module.json');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: text.length - 2 }), (k) => {
        const prefix = text.slice(0, k).trimEnd();
        if (prefix === '') return;
        expect(jsonErrorOffset(prefix)).toBe(prefix.length);
        expect(() => parseJson('trivy', 'r.json', prefix)).toThrow(/^trivy: cannot parse r\.json: truncated JSON: input ends at position \d+ \(line \d+, column \d+\)/);
      }),
      { numRuns: 200 },
    );
  });

  it('garbage inside the document is reported with its position and line/column', () => {
    const text = fixture('trivy.json').replace('"Results":', '"Results" x:');
    const pos = text.indexOf(' x:') + 1;
    expect(jsonErrorOffset(text)).toBe(pos);
    expect(() => parseJson('trivy', 'trivy.json', text)).toThrow(new RegExp(`^trivy: cannot parse trivy\\.json: invalid JSON at position ${pos} \\(line \\d+, column \\d+\\) near "x:`));
  });

  it('GitHub setup-terraform wrapper noise is invalid at position 1', () => {
    expect(() => parseJson('checkov', 'out.txt', '[command]/usr/bin/checkov -o json\n{"a": 1}')).toThrow(/invalid JSON at position 1 \(line 1, column 2\)/);
  });

  it('UTF-8 BOM is accepted; UTF-16 and empty input are not', () => {
    expect(parseJson('tfsec', 'f', '\uFEFF{"results": []}')).toEqual({ results: [] });
    expect(() => parseJson('tfsec', 'f', fixture('infracost-utf16le-head.json'))).toThrow(ScannerParseError);
    expect(() => parseJson('tfsec', 'f', '  \n')).toThrow(/^tfsec: cannot parse f: input is empty$/);
  });
});

describe('helpers', () => {
  it('avdForms', () => {
    expect(avdForms('AVD-AWS-0086')).toEqual({ short: 'AWS-0086', avd: 'AVD-AWS-0086' });
    expect(avdForms('AWS-0086')).toEqual({ short: 'AWS-0086', avd: 'AVD-AWS-0086' });
    expect(avdForms('aws-s3-block-public-acls')).toBeNull();
    expect(avdForms('CKV_AWS_20')).toBeNull();
  });

  it('normaliseSeverity', () => {
    expect(['critical', 'HIGH', 'ERROR', 'WARNING', 'INFO', 'UNKNOWN', 3].map(normaliseSeverity)).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', null, null]);
  });

  it('relPath', () => {
    expect(relPath('/modules/a/main.tf', { leadingSlashIsRoot: true })).toBe('modules/a/main.tf');
    expect(relPath('C:\\work\\infra\\main.tf', { baseDir: 'C:\\work\\infra' })).toBe('main.tf');
    expect(relPath('./main.tf', {})).toBe('main.tf');
    let abs = '';
    expect(relPath('/tmp/x/main.tf', { baseDir: '/other' }, (p) => (abs = p))).toBe('/tmp/x/main.tf');
    expect(abs).toBe('/tmp/x/main.tf');
  });
});
