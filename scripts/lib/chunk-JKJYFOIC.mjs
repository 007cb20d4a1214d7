import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
var i=["trivial","low","medium","critical"];function r(e){return i.indexOf(e)}export{i as a,r as b};
