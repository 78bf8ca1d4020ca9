import * as pulumi from "@pulumi/pulumi";

/** One problem in user input: where it is, what is allowed, what was given. */
export interface Problem {
    /** Dotted key path, e.g. `orgwatch:trail.dataEvents.s3` or `--stack`. */
    readonly path: string;
    /** What is allowed there, in words a user can act on. */
    readonly allowed: string;
    /** What was given (already redacted where it may be secret). */
    readonly received: string;
}

/**
 * A mistake in user input (stack config, CLI arguments). Extends `pulumi.RunError` so that the
 * Pulumi engine prints only the message, without a stack trace; the offline commands print the
 * message and exit with status 2.
 */
export class UserError extends pulumi.RunError {
    public readonly problems: readonly Problem[];
    /** The file the user should edit, when there is one. */
    public readonly file: string | undefined;

    constructor(summary: string, problems: readonly Problem[], file?: string) {
        super(UserError.render(summary, problems, file));
        this.name = "UserError";
        this.problems = problems;
        this.file = file;
    }

    public static render(summary: string, problems: readonly Problem[], file?: string): string {
        const where = file ? ` (fix in ${file})` : "";
        const lines = problems.map((p) => `  - ${p.path}: expected ${p.allowed}; received ${p.received}`);
        return [`${summary}${where}:`, ...lines].join("\n");
    }
}

/** True for errors caused by user input rather than by orgwatch itself. */
export function isUserError(err: unknown): err is UserError {
    return err instanceof UserError || (err instanceof Error && err.name === "UserError");
}
