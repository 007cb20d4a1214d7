import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a,b}from"./chunk-QNC7XP5D.mjs";import"./chunk-SXI7GY6T.mjs";export{a as INSTALL_HINTS,b as notInstalled};
