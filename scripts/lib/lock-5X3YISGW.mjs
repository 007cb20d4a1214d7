import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b}from"./chunk-WD4ZCLVS.mjs";import"./chunk-NTKGVEPD.mjs";import"./chunk-SXI7GY6T.mjs";export{b as pidAlive,a as withFileLock};
