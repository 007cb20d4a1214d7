import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
var e=["CRITICAL","HIGH","MEDIUM","LOW"];export{e as a};
