import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-43D4CAHO.mjs";import"./chunk-24GAQZSL.mjs";import"./chunk-HIVMECKF.mjs";import"./chunk-F2SDOLGP.mjs";import"./chunk-SXI7GY6T.mjs";export{a as StateInputError,b as formatIndex,d as parseState,c as stripIndexes};
