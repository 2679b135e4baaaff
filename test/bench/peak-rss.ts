/**
 * `node peak-rss.js <module> <program> <n>`: runs one program of a case module alone and prints
 * the process's peak resident memory in kilobytes (peak RSS never falls within a process).
 */
async function main(): Promise<void> {
  const [module, program, n] = process.argv.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time
  const programs = (require(module!) as { programs: Record<string, (n: number) => unknown> }).programs;
  const run = programs[program!];
  if (run === undefined) throw new Error(`no program ${program} in ${module}`);
  await run(Number(n));
  console.log(process.resourceUsage().maxRSS);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
