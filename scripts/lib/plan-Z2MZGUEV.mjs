import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b}from"./chunk-Z5OH3AC7.mjs";import"./chunk-24GAQZSL.mjs";import"./chunk-HIVMECKF.mjs";import"./chunk-F2SDOLGP.mjs";import"./chunk-SXI7GY6T.mjs";export{b as parsePlanJson,a as stripWrapperNoise};
