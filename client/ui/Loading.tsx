/** A calm loading state that screen readers announce once. */
export function Loading({ label }: { label: string }) {
  return (
    <main className="page centred" aria-busy="true">
      <p role="status" className="loading">
        <span className="spinner" aria-hidden="true" />
        {label}
      </p>
    </main>
  )
}
