/**
 * `npm run --silent pattern -- --pattern '<filter pattern>' --events <file>`
 *
 * The offline twin of CloudWatch Logs TestMetricFilter: evaluates a filter pattern against events and
 * prints one line per event, `{"index": <i>, "match": true|false}` (index from 0, in file order).
 *
 * `--events` accepts:
 * - a JSON array of records;
 * - a fixtures file `{"source": ..., "events": [{"record": ...}, ...]}` (each `record` is evaluated);
 * - JSON lines / raw log lines: one event message per non-empty line, evaluated as CloudWatch Logs
 *   evaluates an ingested message (JSON patterns parse the line; a line that is not JSON never
 *   matches them; term patterns search the line as written).
 * Records of arrays and fixture files are parsed JSON; term patterns search their compact JSON text.
 *
 * Exit status: 0 after printing the results; 2 for an invalid pattern (the message gives the
 * 1-based position), bad usage, or an unreadable / malformed events file. Messages go to stderr,
 * without a stack trace.
 */
import * as fs from "fs";
import { Command, CommanderError } from "commander";
import { UserError } from "../errors";
import { compilePattern, isPatternSyntaxError, CompiledPattern } from "../pattern";
import { CliIo, EXIT_OK, EXIT_USAGE, PROCESS_IO, configureCommand, reportError } from "./common";

/** One event to evaluate: a parsed record, or a raw message line. */
export type EventInput = { readonly record: unknown } | { readonly message: string };

/** Runs the command with `argv` (arguments after the script name); returns the exit status. */
export function runPatternCli(argv: readonly string[], io: CliIo = PROCESS_IO): number {
    const program = configureCommand(
        new Command()
            .name("pattern")
            .description("Evaluate a CloudWatch Logs filter pattern against events, offline (like TestMetricFilter).")
            .requiredOption("--pattern <pattern>", "the filter pattern text")
            .requiredOption("--events <file>", "JSON array of records, fixtures file, or JSON lines"),
        io,
    );
    try {
        program.parse([...argv], { from: "user" });
    } catch (err) {
        if (err instanceof CommanderError) {
            // --help exits 0; every usage error is status 2 (commander already printed it).
            return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
        }
        return reportError(err, io);
    }
    const opts = program.opts<{ pattern: string; events: string }>();
    try {
        const matcher = compileOrExplain(opts.pattern);
        const events = readEvents(opts.events);
        const out: string[] = [];
        events.forEach((e, index) => {
            const match = "message" in e ? matcher.matchesMessage(e.message) : matcher(e.record);
            out.push(`{"index": ${index}, "match": ${match}}\n`);
        });
        io.stdout(out.join(""));
        return EXIT_OK;
    } catch (err) {
        // User errors (bad pattern, unreadable or malformed file): message only, status 2.
        return reportError(err, io);
    }
}

function compileOrExplain(text: string): CompiledPattern {
    try {
        return compilePattern(text);
    } catch (err) {
        if (isPatternSyntaxError(err)) {
            const allowed = err.unsupported ? `a JSON or term pattern (${err.expected})` : err.expected;
            throw new UserError(err.unsupported ? "Unsupported --pattern" : "Invalid --pattern", [
                { path: `--pattern at position ${err.position}`, allowed, received: err.found },
            ]);
        }
        throw err;
    }
}

/** Reads and classifies an events file (see the module comment). Throws UserError when it cannot. */
export function readEvents(file: string): EventInput[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new UserError("Cannot read --events file", [
            { path: "--events", allowed: "a readable file", received: `${file} (${reason})` },
        ]);
    }
    return parseEvents(text, file);
}

/** Classifies the text of an events file. */
export function parseEvents(text: string, file = "<events>"): EventInput[] {
    const trimmed = text.trim();
    if (trimmed.startsWith("[")) {
        const parsed = parseJson(trimmed, file);
        if (!Array.isArray(parsed)) {
            throw badFile(file, "a JSON array of records");
        }
        return parsed.map((record: unknown) => ({ record }));
    }
    if (trimmed.startsWith("{")) {
        let whole: unknown;
        let isWhole = true;
        try {
            whole = JSON.parse(trimmed);
        } catch {
            isWhole = false;
        }
        if (isWhole && isFixtureFile(whole)) {
            return whole.events.map((e, i) => {
                if (typeof e !== "object" || e === null || !("record" in e)) {
                    throw badFile(file, `a "record" in every fixture event (event ${i} has none)`);
                }
                return { record: (e as { record: unknown }).record };
            });
        }
    }
    return text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "")
        .map((message) => ({ message }));
}

function isFixtureFile(v: unknown): v is { events: unknown[] } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && Array.isArray((v as { events?: unknown }).events);
}

function parseJson(text: string, file: string): unknown {
    try {
        return JSON.parse(text);
    } catch (err) {
        throw badFile(file, `valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
}

function badFile(file: string, allowed: string): UserError {
    return new UserError("Malformed --events file", [{ path: "--events", allowed, received: file }]);
}

if (require.main === module) {
    process.exitCode = runPatternCli(process.argv.slice(2));
}
