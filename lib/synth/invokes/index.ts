import { arnServiceOf } from "../arn-service";
import { ProgramCatalogue, shapeProblems, isObjectShape, resolveShape, type Shape } from "../catalogue";
import type { PartitionInfo } from "../../partition";
import { generateValue, type InvokeContext } from "./generic";
import { INVOKE_HANDLERS, type HandlerWorld } from "./handlers";

export { renderPolicyDocument, PolicyDocumentError } from "./policy-document";
export { CONTROL_TOWER_TRAIL_LOG_GROUP, OFFLINE_PARAMETER_VALUE, INVOKE_HANDLERS } from "./handlers";
export { zonesOf, defaultVpc, ec2Id } from "./world";
export type { InvokeContext } from "./generic";
export type { HandlerWorld } from "./handlers";

/** Results a user gives for invokes (`--invoke-results`): token → the fields to answer with. */
export type InvokeResults = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * An invoke the offline runtime cannot answer: no supported SDK declares it, and no result was
 * given for it. The run fails with this error, which names the invoke and how to answer it.
 */
export class UnansweredInvokeError extends Error {
    public readonly token: string;

    constructor(token: string, supported: Readonly<Record<string, string>>) {
        super(
            `The program calls the function ${token}, which the offline check cannot answer: it answers every function of ` +
                `${Object.entries(supported).map(([n, v]) => `${n} ${v}`).join(", ")}. ` +
                `Give its result in a JSON file passed with --invoke-results <file>, e.g. {"${token}": {"<field>": "<value>"}}.`,
        );
        this.name = "UnansweredInvokeError";
        this.token = token;
    }
}

export interface AnswerOptions {
    readonly token: string;
    readonly args: Readonly<Record<string, unknown>>;
    readonly account: string;
    readonly region: string;
    readonly partition: PartitionInfo;
    readonly catalogue: ProgramCatalogue;
    readonly world: HandlerWorld;
    readonly given?: InvokeResults;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Arguments that answer result fields of the same name and shape (the provider echoes its inputs). */
function echoes(shape: Shape, args: Readonly<Record<string, unknown>>, opts: AnswerOptions): Record<string, unknown> {
    const s = resolveShape(shape, opts.catalogue.types);
    if (!isObjectShape(s)) return {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
        const fieldShape = s.object[key];
        if (fieldShape !== undefined && value !== undefined && shapeProblems(value, fieldShape, opts.catalogue.types).length === 0) out[key] = value;
    }
    return out;
}

/**
 * The answer to an invoke: the generic value of its declared shape, the realistic fields of its
 * handler over it, and the user's given result over both. Only fields the shape declares are kept.
 * @throws UnansweredInvokeError when neither a supported SDK nor the given results know the token.
 */
export function answerInvoke(opts: AnswerOptions): Record<string, unknown> {
    const shape = opts.catalogue.invoke(opts.token);
    const given = opts.given?.[opts.token];
    if (shape === undefined) {
        if (given !== undefined) return { ...given };
        throw new UnansweredInvokeError(opts.token, opts.catalogue.packages);
    }
    const ctx: InvokeContext = {
        token: opts.token,
        args: opts.args,
        account: opts.account,
        region: opts.region,
        partition: opts.partition,
        types: opts.catalogue.types,
        service: arnServiceOf(opts.token),
    };
    const generic = generateValue(shape, ctx, [], echoes(shape, opts.args, opts));
    const result: Record<string, unknown> = isRecord(generic) ? generic : {};
    const handler = INVOKE_HANDLERS[opts.token];
    const resolved = resolveShape(shape, opts.catalogue.types);
    const declared = isObjectShape(resolved) ? resolved.object : {};
    if (handler) {
        for (const [k, v] of Object.entries(handler(ctx, opts.world))) {
            if (k in declared && v !== undefined) result[k] = v;
        }
    }
    if (given) Object.assign(result, given);
    return result;
}
