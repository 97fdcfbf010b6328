import { pageSettings } from '../config.ts'
import { usePageTitle } from '../router.tsx'

/**
 * The privacy notice in plain words (issue 18). docs/privacy.md says the same for a data
 * protection officer, table by table; keep the two in step.
 */
export function PrivacyPage() {
  usePageTitle('Privacy')
  const contact = pageSettings.privacyContact
  return (
    <main className="page narrow privacy-page" id="main">
      <h1>Privacy: what Parity keeps</h1>
      <p>Parity is a shared whiteboard for workshops. It is built to know as little about you as it can.</p>

      <h2>What we never keep</h2>
      <ul>
        <li>Your name, email, phone number or any other contact details. You do not need an account.</li>
        <li>Who wrote an idea, or how anyone voted or answered. Not even the facilitator can see this.</li>
        <li>Your network address, or the time to the minute of anything you did. We keep the day only.</li>
      </ul>

      <h2>What we keep</h2>
      <ul>
        <li>The workshop’s title and its sections.</li>
        <li>The ideas, suggestions and reasons people typed, and what was drawn or written on the board.</li>
        <li>Vote totals and the answers to each proposal, counted together. Single votes are removed when the vote closes.</li>
        <li>How many people joined, and the group each person chose to say they belong to, if they chose one.</li>
        <li>A random key for each device that joined. It lets you come back as the same person. It is not linked to who you are.</li>
      </ul>
      <p>The nickname you see on the board stays on your device and in the live session. We do not save it.</p>

      <h2>Check-out at the end</h2>
      <ul>
        <li>When every part is done, you can answer a few questions about how the workshop went. You do not have to.</li>
        <li>Answers are counted by group, and shown only for groups of 3 or more people.</li>
        <li>
          What you write under “What changed for you?” is kept word for word, without your name. It may be quoted in reports for the trust’s board
          and funders.
        </li>
        <li>The facilitator and the programme lead can read those words once 3 or more people have checked out.</li>
      </ul>

      <h2>Your record of taking part</h2>
      <ul>
        <li>If you are paid for your time, you can take a record that you took part. It is a code that shows the workshop, the day and the minutes.</li>
        <li>You give the code, with your name, to whoever pays you. Parity never has your name, and the code shows nothing you said or voted.</li>
        <li>We keep a mark that this device has taken a record, so nobody takes two, and whether the record has been paid.</li>
      </ul>

      <h2>Programmes and promises</h2>
      <ul>
        <li>A workshop can be one of a series, called a programme. The programme lead sees what each workshop agreed and the check-out results.</li>
        <li>
          Staff can write down what they promise to do about ideas, with a job title, never a name, and dated updates. The facilitator, the
          programme lead and anyone with a shared “What we agreed” link can see them. So can the people who wrote those ideas, on their own device.
        </li>
        <li>
          What one workshop agreed is copied into the next workshop of the programme, as “Last time we agreed: …”. That copy stays until the new
          workshop is deleted.
        </li>
        <li>Deleting a programme deletes every workshop in it.</li>
      </ul>

      <h2>How long we keep it</h2>
      <p>
        Each workshop is deleted a set number of days after anyone last used it: 90 days, unless the facilitator chose another number. The
        workshop page shows the day. A week before, the facilitator page and the projector say so plainly.
      </p>
      <p>A workshop that is part of a programme is kept as long as the programme, and deleted with it.</p>
      <p>When a workshop is deleted, everything in it is removed from the server’s storage. It is not only hidden.</p>
      <p>
        The facilitator and the programme lead can download files, such as what was agreed or a report. These are copies. Deleting the workshop does
        not delete them.
      </p>

      <h2>Who can see what</h2>
      <ul>
        <li>Everyone in the workshop sees the ideas once the facilitator shows them, without names.</li>
        <li>The facilitator sees the same as everyone, plus counts (for example, how many people joined). Never who wrote what.</li>
        <li>The people who run the Parity server can reach the stored data to keep it working. They see no names because there are none.</li>
        <li>Nobody else. Parity sends nothing to other companies: no adverts, no tracking, no outside fonts or analytics.</li>
      </ul>

      <h2>How to delete</h2>
      <ul>
        <li>Until the vote opens, “Remove my ideas” on the workshop page takes back every idea you wrote on this device, in one step.</li>
        <li>After the vote opens, ideas that people voted on stay, so the count stays fair. You can ask for your idea’s text to be left out of exports. So that nobody can tell it is yours, this happens together with other people’s requests. You can choose to have it left out the next day instead, even if nobody else asks.</li>
        <li>“Leave” clears everything this device remembers about the workshop.</li>
        <li>The facilitator can delete the whole workshop at any time.</li>
      </ul>

      <h2>Who to contact</h2>
      {contact ? (
        <p>
          Questions about your data: <strong>{contact}</strong>
        </p>
      ) : (
        <p>Ask the person who runs your workshop. They can pass your question to whoever runs this Parity server.</p>
      )}
    </main>
  )
}
