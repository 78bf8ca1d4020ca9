import * as fs from "fs";
import * as path from "path";
import { Command, InvalidArgumentError, Option } from "commander";
import { alarmConfigChecks } from "../alarms/resolve";
import { displayPath, parseStackConfig } from "../config/load";
import { accountCoverage } from "../config/coverage";
import { names } from "../naming";
import { AccountEntry, appendAccount, synthChanges, unifiedDiff } from "../onboard";
import { parseStackFile, readStackFile, stackFilePath } from "../synth/stack-file";
import { PACKAGE_ROOT, readProjectFile, synthesize } from "../synth/synthesize";
import type { SynthResource } from "../synth/types";
import { CliIo, PROCESS_IO, configureCommand, main } from "./common";

/**
 * `npm run --silent onboard -- --stack <name> --name <account name> (--id <id> [--ou <ou>] | --email <email> --ou <ou>)
 *  [--dry-run] [--config-file <path>]`
 *
 * Appends one member account to `orgwatch:accounts` in `Pulumi.<stack>.yaml`, keeping comments and
 * ordering; validates the whole configuration after the edit and refuses (exit 2, file untouched)
 * anything invalid or duplicate; then prints what `pulumi up` will add for the account, from an
 * offline synth of the stack before and after the edit, and how the account gets its baseline (the member
 * baseline StackSet's instances of its OU). `--dry-run` prints the edit without writing.
 */

export interface OnboardCliOptions {
    readonly stack: string;
    readonly name: string;
    readonly id?: string;
    readonly email?: string;
    /** The created account's parent OU, or the OU an adopted account is in. */
    readonly ou?: string;
    /** @default false */
    readonly dryRun?: boolean;
    /** @default Pulumi.<stack>.yaml in the program directory */
    readonly configFile?: string;
    /** @default the orgwatch program */
    readonly program?: string;
}

/** Outcome of an onboarding run (for callers and tests). */
export interface OnboardOutcome {
    readonly file: string;
    readonly written: boolean;
    readonly added: readonly SynthResource[];
    /** Resources other than the new account's that the synth shows changed or removed (expected: none). */
    readonly otherChanges: readonly string[];
}

function stackName(value: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
        throw new InvalidArgumentError("a stack name has only letters, digits, '-', '_' and '.'");
    }
    return value;
}

function entryOf(options: OnboardCliOptions): AccountEntry {
    if (options.id !== undefined) return { name: options.name, id: options.id, ...(options.ou === undefined ? {} : { ou: options.ou }) };
    return { name: options.name, email: options.email ?? "", ou: options.ou ?? "" };
}

function describe(r: SynthResource): string {
    const where = [r.account, r.region].filter((x) => x !== null).join(" ");
    return `  + ${r.type}  ${r.name}${where ? `  (${where})` : ""}\n      ${r.urn}\n`;
}

/**
 * Runs the onboarding as the command does.
 * @throws UserError (exit 2) when the edited configuration is invalid; the file is not written then.
 */
export async function runOnboard(options: OnboardCliOptions, io: CliIo = PROCESS_IO): Promise<OnboardOutcome> {
    const programDir = path.resolve(options.program ?? PACKAGE_ROOT);
    const project = readProjectFile(programDir).name;
    const file = options.configFile ? path.resolve(options.configFile) : stackFilePath(programDir, options.stack);
    // A missing file is a user error naming the stacks that exist.
    const before = readStackFile(file, project, { requireConfig: true });
    const original = fs.readFileSync(file, "utf8");
    const edit = appendAccount(original, entryOf(options), file, project);
    const after = parseStackFile(edit.text, file, project, { requireConfig: true });
    // The whole configuration, as the program validates it before registering anything.
    const cfg = parseStackConfig(after.config, displayPath(file), [alarmConfigChecks]);
    const added = cfg.accounts[cfg.accounts.length - 1];
    // The config is valid, so a target covers the account.
    const coverage = accountCoverage(cfg.memberBaselines.targets, added);

    const diff = unifiedDiff(original, edit.text, path.basename(file));
    const synth = (config: Readonly<Record<string, string>>, secretKeys: readonly string[]) =>
        synthesize({ programDir, stack: options.stack, project, config, secretKeys });
    const old = await synth(before.config, before.secretKeys);
    const now = await synth(after.config, after.secretKeys);
    const changes = synthChanges(old, now);
    const otherChanges = [...changes.removed.map((r) => `- ${r.urn}`), ...changes.changed.map((r) => `~ ${r.urn}`)];

    let written = false;
    if (options.dryRun) {
        io.stdout(`Dry run: ${file} is not changed. The edit:\n\n${diff}\n`);
    } else {
        fs.writeFileSync(file, edit.text, "utf8");
        written = true;
        io.stdout(`Added account ${JSON.stringify(options.name)} to ${edit.key}${edit.createdKey ? " (new key)" : ""} in ${file}:\n\n${diff}\n`);
    }
    io.stdout(`\`pulumi up\` on stack ${options.stack} will add ${changes.added.length} resource(s) for ${JSON.stringify(options.name)}:\n`);
    for (const r of changes.added) io.stdout(describe(r));
    if (otherChanges.length > 0) {
        io.stdout(`\nand also change ${otherChanges.length} other resource(s):\n${otherChanges.map((l) => `  ${l}`).join("\n")}\n`);
    } else {
        io.stdout("\nNo other resource changes.\n");
    }
    if (coverage.covered) {
        const where = coverage.target === "Root" ? "the whole organization (Root)" : coverage.target;
        const stackSet = names.baselineStackSet(cfg.namePrefix);
        const regionsText = cfg.regions.governed.join(", ");
        io.stdout(
            added.id === undefined
                ? `\nIts baseline comes from AWS: when the account is created in ${added.ou ?? "its OU"}, the StackSet ${stackSet} (automatic deployment to ${where}) deploys an OAM link to the monitoring account's sink in ${regionsText}. Nothing else to run.\n`
                : `\nIts baseline comes from AWS: the StackSet ${stackSet} deploys an OAM link in ${regionsText} to every account of ${where}, this one included (it targets OUs, not listed accounts). Nothing else to run.\n`,
        );
    }
    return { file, written, added: changes.added, otherChanges };
}

/** The `onboard` command (commander), writing to `io`. */
export function onboardCommand(io: CliIo = PROCESS_IO, onDone?: (outcome: OnboardOutcome) => void): Command {
    const program = new Command("onboard")
        .description("Add a member account to a stack's config (comments kept), validate it, and show what `pulumi up` will add.")
        .requiredOption("-s, --stack <name>", "stack name; Pulumi.<name>.yaml is edited", stackName)
        .requiredOption("-n, --name <account name>", "account name (unique, also the OAM link label)")
        .option("--id <id>", "adopt an existing member account by its 12-digit id")
        .option("--email <email>", "create a new account with this root email (needs --ou)")
        .option("--ou <ou>", "parent OU of the new account, or the OU an adopted account is in: a path listed under orgwatch:organizationalUnits, or an OU id")
        .addOption(new Option("--shard <name>", "removed: member baselines come from the member baseline StackSet").hideHelp())
        .option("--dry-run", "print the edit without writing the file", false)
        .option("-c, --config-file <path>", "edit this file instead of Pulumi.<stack>.yaml")
        .option("-p, --program <dir>", "directory of the Pulumi program (default: the orgwatch program)")
        .action(async (opts: OnboardCliOptions & { readonly shard?: string }) => {
            if (opts.shard !== undefined) {
                program.error("error: --shard was removed: every member account's baseline comes from the member baseline StackSet, which targets OUs (docs/scaling.md); drop --shard", { exitCode: 2 });
            }
            if (opts.id !== undefined && opts.email !== undefined) {
                program.error("error: give either --id (adopt an account) or --email and --ou (create one), not both", { exitCode: 2 });
            }
            // Checked here rather than by the config schema, whose advice (quote the id in YAML) is about the file.
            if (opts.id !== undefined && !/^\d{12}$/.test(opts.id)) {
                program.error(`error: --id must be a 12-digit AWS account id; received ${JSON.stringify(opts.id)}`, { exitCode: 2 });
            }
            if (opts.id === undefined && (opts.email === undefined || opts.ou === undefined)) {
                program.error("error: give --id <id> to adopt an account, or --email <email> and --ou <path> to create one", { exitCode: 2 });
            }
            const outcome = await runOnboard(opts, io);
            onDone?.(outcome);
        });
    return configureCommand(program, io);
}

if (require.main === module) {
    main(onboardCommand());
}
