# English. Numbers come from the helpline's [contacts] in salama.toml: $police and $police_alt
# (shown as "999 or 112"), $support (GBV line), $child, $cyber (cybercrime report), $data
# (data-protection complaints), $hours (when counsellors answer). Sources: locales/SOURCES.md.
# Written for Kenya (the laws and offices named are Kenya's).
# Advice follows reference/content.md: safety first, never blame, never promise what police will do.
# Every advice screen ends with { danger-line } on a line of its own.

## Engine: shown on every screen
language-name = English
choose-language = Choose language
nav-more = 98 More
nav-footer = 0 Back 00 Exit
sms-footer = Reply with a number. 0: back. 00: stop.
sms-neutral-first = Hello. Reply 1 to continue, or 00 to stop.
# The status line after an input that is not understood: it keeps the way out.
hint-invalid = Not understood. { nav-footer }
# Neutral on purpose: someone may be looking at the screen.
quick-exit = Thank you. Goodbye.
service-unavailable = Sorry, please try again later. In danger now? Call {$police} or {$police_alt} (free). Support: {$support}.
danger-line = Danger: {$police} or {$police_alt}

## Main menu
main-title = How can we help?
main-danger = In danger now
main-counsellor = Talk to a counsellor
main-images = Intimate images
main-phone = Phone or account
main-online = Abuse online
main-more = More help
main-language = Language / Lugha

## Fon: the first screen after choosing Fon, on a flow that offers it (the Benin one)
fon-welcome = The rest is in French. For a counsellor who speaks Fon: 2.
fon-continue = Continue in French

## Options used on several screens
opt-counsellor = Talk to a counsellor
opt-danger-signs = Signs of high danger
opt-plan = Make a safety plan
opt-evidence = Save evidence
opt-remove = Get images removed
opt-minor = Someone under 18
opt-signs = Signs of tracking
opt-safe-steps = Safe next steps
opt-sim = SIM swap
opt-report = Report it
opt-more = More steps
yes = Yes
no = No

## I am in danger now
# Short, so that the question of how she may be reached is on the same first page.
danger-now = In danger now? Call {$police} or {$police_alt} (free).
danger-signs =
    Go to a safe place or person if you can. Threats to kill, choking, weapons or stalking mean HIGH danger. It is not your fault. Leaving or confronting them can raise the danger: plan first with {$support}. If your phone may be watched, call from another phone.
    { danger-line }
plan =
    A safety plan: agree a code word with someone you trust that means "call for help". Know a safe place to go and how to get there. Keep ready: ID, money, medicine, important numbers written down, a charged phone. Plan with {$support}, free, 24h.
    { danger-line }

## Intimate images
images-intro =
    It is not your fault. Do not pay and do not send more. Stop replying, but do not delete the chat: it is evidence.
    { danger-line }
images-evidence =
    Save proof of the threats: screenshot the messages, username or number, link and date. Never screenshot, save or forward the image itself: if the person in it may be under 18, that is a crime. Keep notes somewhere private.
    { danger-line }
images-remove =
    Report the image and the account to the app. 18+ in the image? StopNCII.org needs a smartphone that holds the photo: it makes a code there and the photo is never uploaded. Write down its case number and PIN: they cannot be recovered. Under 18: TakeItDown.ncmec.org. Neither works inside WhatsApp. Paid "removal services" are scams.
    { danger-line }
images-minor =
    Under 18 in the image? Do not screenshot, save or forward it, not even to report it. Report the link and account to the app. Take It Down (takeitdown.ncmec.org) works from a phone that already has it. Child helpline: {$child}, free.
    { danger-line }

## Phone or account
phone-title = Phone or account:
phone-tracked = Someone tracks my phone
phone-hacked = Account hacked or taken

## Tracked
tracked-intro =
    If someone knows where you go or what you say, they may be tracking your phone. Do not delete apps or reset the phone yet: it can alert them. Make a safety plan first.
    { danger-line }
tracked-signs =
    Most tracking is shared accounts, location sharing or someone checking your phone. Signs of spy apps: battery drains fast, phone hot when idle, unknown apps, changed settings, they had your phone.
    { danger-line }
tracked-plan =
    Seek help from a phone they have never touched. Keep using your phone as usual so nothing looks different. Check linked devices and location sharing only when it is safe. Plan with {$support}.
    { danger-line }

## Hacked account, SIM swap
hacked-intro =
    Account taken? From a safe phone: use the app's "forgot password", change the password, then turn on 2-step verification. Sign out devices you do not know. Warn friends: messages from it may be fake. If it is safer, plan with {$support} first.
    { danger-line }
hacked-sim =
    Phone suddenly has no signal and you get no SMS? Your number may be moved to another SIM. Call your network from another phone at once and ask them to block it. Then change your mobile money PIN and passwords.
    { danger-line }

## Abuse online
online-title = What is happening?
online-threats = Threats or harassment
online-impersonation = Fake profile of me
online-posted = My address or number posted
online-fake = Fake or AI sexual images

threats-intro =
    Do not reply or argue. Screenshot each message with the name, date and link, then block and report the account. Threats to harm you are serious and can be a crime: you may report to police or DCI {$cyber}.
    { danger-line }
impersonation =
    Someone pretending to be you? Screenshot the fake profile with its link and date. Report it to the app as impersonation. Warn your contacts not to trust it. Using your identity can be a crime in Kenya.
    { danger-line }
posted-intro =
    Address or number posted? Screenshot it with the link and date, then report it to the app. Tell the people you live with. If you are threatened, call the police.
    { danger-line }
posted-more =
    Do not reply to the crowd or post about them. Warn family and work that they may be contacted. Google can remove results that show your number or address. Complaints about personal data: ODPC, {$data}.
    { danger-line }
fake-intro =
    A fake sexual image of you is still abuse, and it is not your fault. Screenshot the link, date and account, not the image, and report it to the app. Do not share it to show it is fake.
    { danger-line }
fake-remove =
    18+? StopNCII.org may block copies of a fake image that is on your smartphone; the image never leaves it. It cannot find new fakes. Keep its case number and PIN: they cannot be recovered. Paid "removal services" are scams. Person shown under 18? Do not keep it: report the link, call {$child}.
    { danger-line }

## More help
more-title = More:
more-selfharm = Thinking of suicide
more-assault = After sexual assault
more-report = Reporting, the law
more-plan = Safety plan
more-someone = Helping someone
more-about = About this service
selfharm =
    You are not alone, and you matter. Please talk to someone now: call {$support} (free, 24h) or choose 1 for a counsellor. If you might act on these thoughts now, call the number below or go to a hospital.
    { danger-line }
assault =
    After a sexual assault, go to a hospital or clinic within 72 hours if you can: medicine can prevent HIV and pregnancy. Kenya's hospitals have gender violence recovery centres. Care does not need a police report. {$support} can guide you.
    { danger-line }
report-intro =
    Reporting is your choice. In Kenya, sharing intimate images, cyber harassment and impersonation are offences under the Computer Misuse and Cybercrimes Act 2018. You can report at a police station gender desk or to DCI, {$cyber} (free).
    { danger-line }
report-more =
    Bring your screenshots, links and dates, and keep the phone that has the messages. Ask for an OB number. You may take someone you trust. {$support} can help you prepare or go with you.
    { danger-line }
someone =
    Helping someone? Believe them, and let them decide. Do not confront the abuser or take their phone. Share this number. Under 18: call {$child} (free); never screenshot or forward images of them.
    { danger-line }
about =
    This service is free. Counsellors answer {$hours}. The code you dialled stays in your call history and our SMS stay on the phone: delete them when it is safe. 00 leaves at once.
    { danger-line }

## Talk to a counsellor: safe contact first
talk-how = How may a counsellor reach you?
talk-call-any = Call, any time
talk-call-morning = Call, 8am-12
talk-call-afternoon = Call, 12-5pm
talk-call-evening = Call, 5-9pm
talk-sms-only = SMS only
talk-neither = Neither is safe
talk-note = In a few words, what is happening? Send 1 to skip.
talk-consent = May we count your request, with nothing that names you, to improve this service?
talk-done = Thank you. A counsellor will contact you only in the way you chose. In danger now? Call {$police} or {$police_alt}.
talk-no-contact = We will not contact you. When you can, call {$support} (free) from a safe phone. In danger now? Call {$police} or {$police_alt}.
# Call times, as counsellors read them in a page.
time-morning = Morning (8am-12)
time-afternoon = Afternoon (12-5pm)
time-evening = Evening (5-9pm)
time-any = Any time

## Escalation: pages and answers to counsellors (SMS)
page-urgency = { $urgency ->
    [CRITICAL] CRITICAL
    [HIGH] HIGH
   *[other] normal
}
page-category = { $category ->
    [danger] danger now
    [counsellor] wants a counsellor
   *[other] {$category}
}
page-lang = { $lang ->
    [sw] Kiswahili
    [fr] French
    [fon] Fon
   *[other] English
}
page = SALAMA case {$code}: { page-urgency }, { page-category }, { page-lang }. Call: {$call}. SMS: {$sms}. Reply ACK {$code} to take it.
page-unanswered = SALAMA case {$code} UNANSWERED: { page-urgency }, { page-category }, { page-lang }. Reply ACK {$code} to take it.
cmd-acked = Case {$code} is yours. Call: {$call}. SMS: {$sms}. Message her: {$code} your text. CALL {$code} for her number. CLOSE {$code} when done.
cmd-taken = Case {$code} is already taken by {$name}.
cmd-no-case = No open case {$code}.
cmd-no-pending = No page is waiting for you: send ACK with the case code.
cmd-not-yours = Case {$code} is not yours: send ACK {$code} first.
cmd-sms-unsafe = She said SMS is not safe: nothing was sent.
cmd-relayed = Sent to {$code}.
cmd-call = Case {$code}: her number is {$number}. Safe time: {$time}.
cmd-call-unsafe = Case {$code}: she said a call is not safe. Do not call.
cmd-call-outside = Case {$code}: she said calls are safe only {$time}. It is not that time now.
cmd-passed = Case {$code} passed to the next level.
cmd-closed = Case {$code} closed.
cmd-who = On call: {$names}.
cmd-help = ACK code: take a case. code text: message her. CALL code: her number. PASS code. CLOSE code outcome. WHO: who is on call.
relay-from-survivor = {$code}: {$text}
triage-critical = If you are in danger now, call {$police} or {$police_alt} (free). We are alerting a counsellor.
case-unanswered = We could not reach a counsellor yet. In danger now? Call {$police} or {$police_alt} (free). Support: {$support}.
