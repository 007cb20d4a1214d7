// Compiles templates/knowledge-base/*.yaml into scripts/knowledge-base.json (run by build/bundle.mjs).
import { writeFile } from 'node:fs/promises';
import { NORMALIZER_VERSION } from '../src/errors/normalize.js';
import { compileKnowledgeBase } from '../src/issuelog/kb-compiled.js';
import { readKnowledgeBaseDir } from '../src/issuelog/knowledge-base.js';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: compile-kb <yaml-dir> <out.json>');
const compiled = compileKnowledgeBase(await readKnowledgeBaseDir(dir), NORMALIZER_VERSION);
await writeFile(out, `${JSON.stringify(compiled)}\n`);
