import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{createHash as n,randomBytes as e}from"node:crypto";function i(){return e(10).toString("hex")}function o(...t){return n("sha256").update(JSON.stringify(t)).digest("hex").slice(0,20)}export{i as a,o as b};
