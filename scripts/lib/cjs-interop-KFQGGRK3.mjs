import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a}from"./chunk-SHR2YII5.mjs";import"./chunk-SXI7GY6T.mjs";export{a as cjsNamespace};
