/**
 * A filter pattern that CloudWatch Logs would reject, or that this engine does not evaluate.
 *
 * `position` is the 1-based character offset of the problem in the pattern text (the length of
 * the text plus one when the pattern ends too early). The message names what was expected there.
 */
export class PatternSyntaxError extends Error {
    /** 1-based character offset of the problem. */
    public readonly position: number;
    /** What the parser expected at `position`, in words. */
    public readonly expected: string;
    /** What it found there (`end of pattern` when the text ended). */
    public readonly found: string;
    /** True when the pattern uses syntax AWS documents but this engine does not evaluate. */
    public readonly unsupported: boolean;

    constructor(position: number, expected: string, found: string, unsupported = false) {
        super(
            unsupported
                ? `Unsupported filter pattern syntax at position ${position}: ${expected} (found ${found})`
                : `Invalid filter pattern at position ${position}: expected ${expected}, found ${found}`,
        );
        this.name = "PatternSyntaxError";
        this.position = position;
        this.expected = expected;
        this.found = found;
        this.unsupported = unsupported;
    }
}

/** True for errors raised by `parsePattern` / `compilePattern`. */
export function isPatternSyntaxError(err: unknown): err is PatternSyntaxError {
    return err instanceof PatternSyntaxError || (err instanceof Error && err.name === "PatternSyntaxError");
}
