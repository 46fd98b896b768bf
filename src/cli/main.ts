/** The `graphhub` executable's entry point. */
// More threads for file-system work (CAS writes fsync each blob); must be set
// before the first asynchronous fs call creates libuv's pool.
process.env.UV_THREADPOOL_SIZE ??= '16';

const { runCli } = await import('./program.js');

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
