import { Component, type ReactNode } from 'react'

/**
 * A page whose code could not be fetched (patchy Wi-Fi, or Parity updated while it was open)
 * used to leave the whole app blank. This says so and offers a reload instead.
 */
export class PageLoadFailed extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children
    return (
      <main className="page narrow" id="main">
        <h1 tabIndex={-1}>This page did not load</h1>
        <p>The connection may have dropped, or Parity was updated while the page was open. Nothing you sent before is lost.</p>
        <p>
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </p>
      </main>
    )
  }
}
