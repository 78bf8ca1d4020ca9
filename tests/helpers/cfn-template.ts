/**
 * A CloudFormation template evaluated the way CloudFormation evaluates a stack of it in a given account and
 * Region, for tests. The intrinsic functions are implemented from the CloudFormation template reference, not
 * taken from the code under test.
 */
import type { CloudFormationTemplate } from "../../lib/baseline/template";

type Json = unknown;

/**
 * A stack of `template` as CloudFormation creates it in `account` and `region`: the resources whose condition
 * holds, with their properties resolved. Supports the functions the CloudFormation reference defines for
 * conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition, Fn::If), Fn::FindInMap, and Ref to the pseudo
 * parameters AWS::Region and AWS::AccountId. Anything else is an error, so the template cannot use a function
 * this evaluator does not understand.
 *
 * Evaluation is the strictest reading: the properties of every resource are resolved, also of those whose
 * condition is false, and both branches of every `Fn::If`; a lookup that fails anywhere fails the stack.
 * CloudFormation is reported to fail an `Fn::FindInMap` in the branch of `Fn::If` it does not take
 * (aws-cloudformation/aws-cloudformation-templates#271), and the template reference does not say that a false
 * condition keeps a resource's properties from being resolved, so a template that passes here does not
 * depend on either. A stack set's template may take no parameters here: stacks created by
 * automatic deployment get the StackSet's own parameter values, never an instance's overrides.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
export function stackOf(template: CloudFormationTemplate, account: string, region: string): Record<string, { Type: string; Properties: Json }> {
    const raw = template as unknown as Record<string, Record<string, Json>>;
    if ("Parameters" in raw) throw new Error("a member baseline template takes no parameters");
    const conditions = (raw.Conditions ?? {}) as Record<string, Json>;
    const pseudo: Record<string, string> = { "AWS::Region": region, "AWS::AccountId": account };
    const resolve = (v: Json): Json => {
        if (Array.isArray(v)) return v.map(resolve);
        if (typeof v !== "object" || v === null) return v;
        const keys = Object.keys(v);
        const o = v as Record<string, Json>;
        if (keys.length === 1 && keys[0] === "Ref") {
            const name = String(o.Ref);
            if (!(name in pseudo)) throw new Error(`Ref to ${name}: not a pseudo parameter this template may use`);
            return pseudo[name];
        }
        if (keys.length === 1 && keys[0] === "Fn::FindInMap") {
            const [map, top, second] = (o["Fn::FindInMap"] as Json[]).map(resolve) as string[];
            const value = (raw.Mappings as Record<string, Record<string, Record<string, string>>>)[map]?.[top]?.[second];
            if (value === undefined) throw new Error(`Fn::FindInMap ${map}/${top}/${second}: no such entry (the stack would fail)`);
            return value;
        }
        if (keys.length === 1 && keys[0] === "Fn::If") {
            const args = o["Fn::If"] as Json[];
            if (args.length !== 3 || typeof args[0] !== "string") throw new Error("Fn::If takes a condition name and two values");
            const [whenTrue, whenFalse] = [resolve(args[1]), resolve(args[2])];
            return holds({ Condition: args[0] }) ? whenTrue : whenFalse;
        }
        if (keys.length === 1 && keys[0].startsWith("Fn::") && keys[0] !== "Fn::GetAtt") throw new Error(`${keys[0]}: not evaluated here`);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
    };
    const holds = (c: Json): boolean => {
        const o = c as Record<string, Json>;
        if ("Condition" in o) {
            const named = conditions[String(o.Condition)];
            if (named === undefined) throw new Error(`condition ${String(o.Condition)} is not declared`);
            return holds(named);
        }
        if ("Fn::Equals" in o) {
            const [a, b] = (o["Fn::Equals"] as Json[]).map(resolve);
            return a === b;
        }
        if ("Fn::And" in o) {
            const list = o["Fn::And"] as Json[];
            if (list.length < 2 || list.length > 10) throw new Error("Fn::And takes 2 to 10 conditions");
            return list.map(holds).every((x) => x);
        }
        if ("Fn::Or" in o) {
            const list = o["Fn::Or"] as Json[];
            if (list.length < 2 || list.length > 10) throw new Error("Fn::Or takes 2 to 10 conditions");
            return list.map(holds).some((x) => x);
        }
        if ("Fn::Not" in o) {
            const list = o["Fn::Not"] as Json[];
            if (list.length !== 1) throw new Error("Fn::Not takes one condition");
            return !holds(list[0]);
        }
        throw new Error(`not a condition function: ${JSON.stringify(c)}`);
    };
    const out: Record<string, { Type: string; Properties: Json }> = {};
    for (const [id, r] of Object.entries(template.Resources)) {
        const properties = resolve(r.Properties ?? {});
        if (r.Condition !== undefined && !holds({ Condition: r.Condition })) continue;
        out[id] = { Type: r.Type, Properties: properties };
    }
    if (Object.keys(out).length === 0) throw new Error("a stack needs at least one resource");
    return out;
}

