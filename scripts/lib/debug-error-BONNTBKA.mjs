import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a}from"./chunk-3BRAIN42.mjs";import"./chunk-PT6JYGNN.mjs";import"./chunk-WZNXR7BY.mjs";import"./chunk-ZLMQQS4O.mjs";import"./chunk-XDSUO3QA.mjs";import"./chunk-SXI7GY6T.mjs";export{a as debugError};
