/**
 * Text in the engine's words (a diagnosis, a fix, a run's message). The engine writes for the terminal
 * too, so it names commands and files in backticks (`classbridge courses open …`): the window shows
 * those as code instead of printing the backticks.
 */
export function EngineText({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  const parts = text.split('`');
  // An odd number of backticks: the last one has no partner, so keep it as it is.
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
