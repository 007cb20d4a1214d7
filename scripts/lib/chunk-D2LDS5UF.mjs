import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a as n,b as r}from"./chunk-NTKGVEPD.mjs";function a(e=process.stdout){return process.env.NO_COLOR!==void 0&&process.env.NO_COLOR!==""?!1:process.env.FORCE_COLOR!==void 0&&process.env.FORCE_COLOR!=="0"?!0:!!e.isTTY}var p={red:31,green:32,yellow:33,blue:34,magenta:35,cyan:36,gray:90,bold:1,dim:2};function u(e,t,o){return a(o)?`\x1B[${p[t]}m${e}\x1B[0m`:e}function l(e,t){if(t.json)process.stdout.write(`${JSON.stringify(e.data,null,2)}
`);else{let o=e.human(e.data);o&&process.stdout.write(o.endsWith(`
`)?o:`${o}
`)}process.exitCode=e.exitCode??n.ok}function C(e,t){let o=e instanceof r,s=e instanceof Error?e.message:String(e),d=o?e.exitCode:n.failure,c=o?e.code:"internal";if(t.json){let i={error:{code:c,message:s}};o&&e.details!==void 0&&(i.error.details=e.details),process.stdout.write(`${JSON.stringify(i,null,2)}
`)}process.stderr.write(`${u("infra-ops:","red",process.stderr)} ${s}
`),!o&&process.env.INFRA_OPS_DEBUG&&e instanceof Error&&e.stack&&process.stderr.write(`${e.stack}
`),process.exitCode=d}export{u as a,l as b,C as c};
