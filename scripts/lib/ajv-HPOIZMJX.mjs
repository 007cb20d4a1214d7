import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a}from"./chunk-4ZDDDO5R.mjs";import"./chunk-SXI7GY6T.mjs";export default a();
