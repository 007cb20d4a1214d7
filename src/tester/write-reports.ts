/**
 * Writes one run's reports under `<stateDir>/reports/<env>/`: the JSON report, the formats asked for
 * beside it (same name, other extension), and the environment's history. Files are written whole
 * (temp file + rename), so a crash never leaves half a report; history is updated last.
 */
import { basename, dirname } from 'node:path';
import { appendHistory, historyPath, readHistory, writeHistory, writeJsonAtomic } from './report/history.js';
import { reportPath, type TestReport } from './report/report.js';

export type ReportFormat = 'md' | 'sarif' | 'junit';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'sarif', 'junit'];
const EXTENSION: Record<ReportFormat, string> = { md: '.md', sarif: '.sarif', junit: '.junit.xml' };

export interface WrittenReports {
  json: string;
  md?: string;
  sarif?: string;
  junit?: string;
  history: string;
}

async function writeTextAtomic(file: string, text: string): Promise<void> {
  const { mkdir, rename, rm, writeFile } = await import('node:fs/promises');
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function writeReports(
  report: TestReport,
  stateDir: string,
  formats: readonly ReportFormat[],
  /** pathPrefix: the scanned directory relative to the repository root, so code scanning finds the files. */
  extra: { toolVersion?: string; pathPrefix?: string } = {},
): Promise<WrittenReports> {
  const json = reportPath(stateDir, report.env, report.generatedAt, report.phase);
  await writeJsonAtomic(json, report);
  const stem = json.replace(/\.json$/, '');
  const out: WrittenReports = { json, history: historyPath(stateDir, report.env) };
  for (const f of new Set(formats)) {
    const file = stem + EXTENSION[f];
    if (f === 'md') {
      const { renderMarkdown } = await import('./report/markdown.js');
      await writeTextAtomic(file, renderMarkdown(report));
    } else if (f === 'sarif') {
      const { toSarif } = await import('./report/sarif.js');
      await writeTextAtomic(file, `${JSON.stringify(toSarif(report.findings, { toolVersion: extra.toolVersion, pathPrefix: extra.pathPrefix }), null, 2)}\n`);
    } else {
      const { toJUnit } = await import('./report/junit.js');
      await writeTextAtomic(file, toJUnit(report));
    }
    out[f] = file;
  }
  const history = await readHistory(out.history, report.env);
  await writeHistory(out.history, appendHistory(history, report, { reportFile: basename(json) }));
  return out;
}

