import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
function n(t){let e=t.default;return e&&(typeof e=="object"||typeof e=="function")?{...e,...t}:t}export{n as a};
