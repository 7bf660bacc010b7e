/**
 * Stops a command whose launcher went away without passing its signal on.
 *
 * `npx grokgroups …`, `npm exec grokgroups …` and `npm start` run the command as npm → `sh -c` → node.
 * `kill <npm's pid>` makes npm forward SIGTERM to that shell, which dies without passing it on; node, now
 * an orphan, would go on running (a dashboard still listening on its port, a sweep still training). So when
 * npm started us (npm puts npm_command in the environment of what it runs) we poll our parent's pid; once
 * it changes, the launcher is gone and we send ourselves SIGTERM: each command then stops as it does on
 * SIGTERM (serve closes its server and exits 0, sweep stops its runs with their state saved and exits 130,
 * train saves its state). Started any other way (`node bin/grokgroups.js serve runs &` in a script that then
 * exits) the command is left alone: outliving its parent is what it was asked to do.
 *
 * A command already told to stop (SIGINT or SIGTERM, e.g. the whole process group signalled, shell
 * included) gets no second signal from here: for sweep, train and worker a second signal means "quit at
 * once". Noting that takes a listener, and a listener turns off Node's default action, so where it is the
 * signal's only listener it removes itself and raises the signal again (the process dies of it as before).
 *
 * bin/grokgroups.js calls this; `main()` does not, so calling main in-process (tests) starts no timer.
 */

/** How often the parent's pid is read (one getppid call). */
const POLL_MS = 250;

/** Whether these environment variables say npm (npx, npm exec, npm start, npm run) started the process. */
export function startedByNpm(env: NodeJS.ProcessEnv): boolean {
  return typeof env.npm_command === 'string' && env.npm_command !== '';
}

/**
 * Starts the watch (an unref'd timer: it never keeps the process alive) when npm started this process and
 * its parent is not already init. Returns a function that stops it.
 */
export function stopWhenLauncherExits(env: NodeJS.ProcessEnv = process.env): () => void {
  const parent = process.ppid;
  if (!startedByNpm(env) || parent <= 1) return () => {};
  let signalled = false;
  const listeners = new Map<NodeJS.Signals, () => void>();
  const unlisten = () => {
    for (const [sig, f] of listeners) process.off(sig, f);
    listeners.clear();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const f = () => {
      signalled = true;
      if (process.listenerCount(sig) > 1) return; // the command handles it
      stop();
      process.kill(process.pid, sig); // nobody else listens: Node's default action, exit by the signal
    };
    listeners.set(sig, f);
    process.prependListener(sig, f);
  }
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    stop();
    if (signalled) return;
    try {
      process.stderr.write(`grokgroups: the launching process (pid ${parent}) is gone: stopping as on SIGTERM\n`);
    } catch {
      // stderr may have gone with the launcher; stopping matters more than saying so
    }
    process.kill(process.pid, 'SIGTERM');
  }, POLL_MS);
  timer.unref();
  function stop() {
    clearInterval(timer);
    unlisten();
  }
  return stop;
}
