/** A configuration problem, reported with exit 2. Its own module so the CLI can catch it without loading the validator. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
