import { usePageTitle } from '../router.tsx'

export function NotFoundPage() {
  usePageTitle('Page not found')
  return (
    <main className="page narrow" id="main">
      <h1>We could not find that page</h1>
      <p>The link may be wrong or out of date.</p>
      <p>
        <a className="button" href="/">
          Go to the start page
        </a>
      </p>
    </main>
  )
}
