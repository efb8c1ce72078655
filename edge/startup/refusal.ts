/**
 * The machine will not let this Edge start (the data directory, its lock, the port). Said in
 * one line and exit code 1 by the CLI; configuration mistakes are ConfigErrors (exit code 2).
 */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal';
}
