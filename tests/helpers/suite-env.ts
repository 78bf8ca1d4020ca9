/*
 * Loaded first by the test run (.mocharc.json `require`). The suite runs application programs
 * transpile-only, as a CI pipeline that type-checks in a separate `tsc` step does
 * (PULUMI_NODEJS_TRANSPILE_ONLY=true, which `pulumi preview` honours too): type-checking a program that
 * imports @pulumi/aws costs some 5 s of CPU per run. Set here, for every file alike, unless the
 * environment already says otherwise; tests/lib/synth/type-check.test.ts tests type-checking itself.
 */
process.env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";

export {};
