/** A calm loading state. Not a live region: the page's heading follows in a moment. */
export function Loading({ label }: { label: string }) {
  return (
    <main className="page centred" aria-busy="true" id="main">
      <p className="loading">
        <span className="spinner" aria-hidden="true" />
        {label}
      </p>
    </main>
  )
}
