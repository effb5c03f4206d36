import { readdir } from 'node:fs/promises';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_FILES, commandFilesFor } from './command-list.js';
import type { CliIo } from './io.js';
import { createProgram, loadCommands } from './program.js';
import { capture, runVigil } from './run-in-process.test-support.js';

const io = (): CliIo => ({ stdout: capture(), stderr: capture(), env: {}, cwd: '/' });

describe('the command list', () => {
  it('names every file in commands/ and what each registers, term and summary', async () => {
    const files = (await readdir(new URL('./commands/', import.meta.url)))
      .filter((file) => /\.[cm]?[jt]s$/.test(file) && !/\.(test|d)\.[cm]?[jt]s$/.test(file))
      .map((file) => file.replace(/\.[^.]+$/, ''))
      .sort();
    expect(COMMAND_FILES.map((f) => f.file)).toEqual(files);
    for (const file of COMMAND_FILES) {
      const program = new Command('vigil');
      (await file.load()).register(program, io(), () => {});
      const help = program.createHelp();
      expect(
        program.commands.map((c) => ({
          term: help.subcommandTerm(c),
          summary: help.subcommandDescription(c),
        })),
        file.file,
      ).toEqual(file.commands);
    }
  });

  it('loads only the file of the command run, and none for help or the version', () => {
    const files = (argv: string[]) => commandFilesFor(argv).map((f) => f.file);
    expect(files(['--help'])).toEqual([]);
    expect(files(['-V'])).toEqual([]);
    expect(files([])).toEqual([]);
    expect(files(['nonsense'])).toEqual([]);
    expect(files(['compare', 'churn', '1', '2', '--window', '1h'])).toEqual(['compare']);
    expect(files(['health', '--json'])).toEqual(['monitors']);
    expect(files(['help', 'results'])).toEqual(['monitors']);
    expect(files(['--help', 'ingest'])).toEqual(['ingest']);
  });

  it('prints the same help as the program with every command loaded', async () => {
    const eager = capture();
    createProgram({ ...io(), stdout: eager }, await loadCommands(), () => {}).outputHelp();
    const lazy = await runVigil(['--help'], {}, '/');
    expect(lazy.code).toBe(0);
    expect(lazy.stdout).toBe(eager.text);
    expect((await runVigil([], {}, '/')).stdout).toBe(eager.text);
  });
});
