import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);
var t={ok:0,failure:1,usage:2,blocked:3},e=class extends Error{constructor(o,s=t.usage,a="input.invalid",d){super(o);this.exitCode=s;this.code=a;this.details=d;this.name="CliError"}exitCode;code;details};export{t as a,e as b};
