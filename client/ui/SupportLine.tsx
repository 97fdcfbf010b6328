import { splitPhoneNumbers } from './phoneNumbers.ts'

/** A support line with its numbers as tap-to-call (or tap-to-text) links. */
export function SupportLine({ line }: { line: string }) {
  return (
    <>
      {splitPhoneNumbers(line).map((part, index) =>
        'href' in part ? (
          <a key={index} href={part.href}>
            {part.text}
          </a>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  )
}
