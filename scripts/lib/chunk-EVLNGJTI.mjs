import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
import{a as n,b as i}from"./chunk-NTKGVEPD.mjs";function a(e){(process.stderr.isTTY||process.env.INFRA_OPS_PROGRESS==="1")&&process.stderr.write(`infra-ops: ${e}
`)}function p(e=process.stdout){return process.env.NO_COLOR!==void 0&&process.env.NO_COLOR!==""?!1:process.env.FORCE_COLOR!==void 0&&process.env.FORCE_COLOR!=="0"?!0:!!e.isTTY}var u={red:31,green:32,yellow:33,blue:34,magenta:35,cyan:36,gray:90,bold:1,dim:2};function f(e,t,o){return p(o)?`\x1B[${u[t]}m${e}\x1B[0m`:e}function C(e,t){if(t.json)process.stdout.write(`${JSON.stringify(e.data,null,2)}
`);else{let o=e.human(e.data);o&&process.stdout.write(o.endsWith(`
`)?o:`${o}
`)}process.exitCode=e.exitCode??n.ok}function x(e,t){let o=e instanceof i,s=e instanceof Error?e.message:String(e),d=o?e.exitCode:n.failure,c=o?e.code:"internal";if(t.json){let r={error:{code:c,message:s}};o&&e.details!==void 0&&(r.error.details=e.details),process.stdout.write(`${JSON.stringify(r,null,2)}
`)}process.stderr.write(`${f("infra-ops:","red",process.stderr)} ${s}
`),!o&&process.env.INFRA_OPS_DEBUG&&e instanceof Error&&e.stack&&process.stderr.write(`${e.stack}
`),process.exitCode=d}export{a,f as b,C as c,x as d};
