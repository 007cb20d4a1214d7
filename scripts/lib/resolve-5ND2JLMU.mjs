import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b}from"./chunk-OHT7ITWO.mjs";import"./chunk-ZLMQQS4O.mjs";import"./chunk-XDSUO3QA.mjs";import"./chunk-NTKGVEPD.mjs";import"./chunk-SXI7GY6T.mjs";export{a as adoptedSolutionId,b as recordResolution};
