import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-DQ4TGAII.mjs";import"./chunk-3BJBD4VC.mjs";import"./chunk-SXI7GY6T.mjs";export{b as DEFAULT_MAX_BUFFER_BYTES,a as DEFAULT_TIMEOUT_MS,c as findBinary,f as firstStderrLine,e as oneLine,d as runTool};
