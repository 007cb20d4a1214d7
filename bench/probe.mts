import { openIssueLog } from '../src/issuelog/repository.js';
const t0 = performance.now();
const log = await openIssueLog(process.argv[2]!, { knowledgeBase: true });
const t1 = performance.now();
const r = await log.matchIndex();
const t2 = performance.now();
const d = await log.get([r.index.ids[500]!]);
const t3 = performance.now();
console.log({ kb: t1 - t0, index: t2 - t1, source: r.source, n: r.index.ids.length, get: t3 - t2 });
