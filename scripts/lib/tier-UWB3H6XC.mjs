import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{b,c,d,e}from"./chunk-AFHOCOMX.mjs";import{a}from"./chunk-JKJYFOIC.mjs";import"./chunk-SXI7GY6T.mjs";export{a as TIERS,e as classifyAction,b as isProduction,d as matches,c as normalizeAction};
