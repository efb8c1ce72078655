import { EdgeError } from '../../errors.ts';

/** The EdgeError `run` refuses with; fails the test when `run` accepts instead. */
export async function refusal(run: () => Promise<unknown>, accepted = 'the input was accepted'): Promise<EdgeError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof EdgeError) return err;
    throw err;
  }
  throw new Error(accepted);
}
