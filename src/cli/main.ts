/** The `graphhub` executable's entry point. */
// More threads for file-system work (CAS writes fsync each blob); must be set
// before the first asynchronous fs call creates libuv's pool.
process.env.UV_THREADPOOL_SIZE ??= '16';

// A reader that stops early (`graphhub export edges | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { runCli } = await import('./program.js');

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
