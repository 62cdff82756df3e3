# Français. Les numéros viennent des [contacts] de la ligne dans salama.toml :
# $police, $support, $child, $cyber, $data.

## Engine: shown on every screen
language-name = Français
choose-language = Choisissez la langue
nav-more = 98 Suite
nav-footer = 0 Retour 00 Quitter
sms-footer = Répondez par un numéro. 0 : retour. 00 : arrêter.
sms-neutral-first = Bonjour. Répondez 1 pour continuer, ou 00 pour arrêter.
hint-invalid = Choix non compris, réessayez
quick-exit = Merci. Au revoir.
service-unavailable = Désolé, réessayez plus tard. En danger maintenant ? Appelez le {$police} (gratuit). Soutien : {$support}.

## Main menu
main-title = Comment vous aider ? Vous n'êtes pas seule.
main-danger = Je suis en danger maintenant
main-images = Images intimes partagées ou menaces
main-tracked = Mon téléphone ou mes comptes sont surveillés
main-posted = Mes infos personnelles ont été publiées
main-threats = Menaces ou harcèlement
main-fake = Fausses images ou images IA de moi
main-counsellor = Parler à un conseiller
main-language = Langue
main-exit = Quitter

## Options used on several screens
opt-counsellor = Parler à un conseiller
opt-danger-signs = Signes de danger grave
opt-evidence = Garder des preuves
opt-remove = Faire retirer les images
opt-signs = Signes de surveillance
opt-plan = Rester en sécurité
opt-more = Autres conseils
yes = Oui
no = Non

## En danger maintenant
danger-now = En danger maintenant ? Appelez le {$police} (gratuit). Allez vers un lieu ou une personne sûre si vous pouvez. Une fois en sécurité, appelez le {$support} pour préparer votre sécurité.
danger-signs = Menaces de mort, étranglement, armes ou traque : danger GRAVE. Ce n'est pas votre faute. Partir ou l'affronter peut augmenter le danger : préparez un plan avec le {$support}. Si le téléphone est surveillé, appelez d'un autre téléphone.

## Images intimes
images-intro = Ce n'est pas votre faute. Ne payez pas et n'envoyez rien de plus. Ne répondez plus, mais ne supprimez pas la conversation : c'est une preuve.
images-evidence = Gardez des preuves : captures d'écran des messages, du nom d'utilisateur ou du numéro, du lien et de la date. Ne transférez jamais la photo elle-même, même pour la signaler. Gardez ces notes en lieu sûr.
images-remove = Signalez l'image et le compte à l'application. 18 ans ou plus sur l'image ? StopNCII.org crée un code sur votre appareil ; la photo n'est jamais envoyée, et les applications partenaires bloquent les copies. Moins de 18 ans : TakeItDown.ncmec.org. Cela ne marche pas dans WhatsApp.

## Téléphone ou comptes surveillés
tracked-intro = S'il sait où vous allez ou ce que vous dites, il surveille peut-être votre téléphone. Ne supprimez pas d'application et ne réinitialisez pas le téléphone tout de suite : cela peut l'alerter. Faites d'abord un plan de sécurité.
tracked-signs = Souvent, la surveillance passe par des comptes partagés, le partage de position ou des fouilles du téléphone. Signes d'un logiciel espion : batterie vite vide, téléphone chaud au repos, applis inconnues, réglages changés, il a eu votre téléphone en main.
tracked-plan = Cherchez de l'aide depuis un téléphone qu'il n'a jamais touché. Utilisez votre téléphone comme d'habitude pour que rien ne change. Vérifiez les appareils connectés et le partage de position seulement quand c'est sûr. Faites un plan avec le {$support}.

## Infos personnelles publiées
posted-intro = Adresse ou numéro publié ? Faites une capture avec le lien et la date, puis signalez-le à l'application. Prévenez les personnes avec qui vous vivez. En cas de menace, appelez le {$police}.
posted-more = Ne répondez pas à la foule et ne publiez rien sur eux. Prévenez famille et travail qu'on peut les contacter. Google peut retirer des résultats montrant votre numéro ou votre adresse. Plaintes sur les données personnelles : {$data}.

## Menaces ou harcèlement
threats-intro = Ne répondez pas, ne discutez pas. Faites une capture de chaque message avec le nom, la date et le lien, puis bloquez et signalez le compte. Les menaces sont graves et peuvent être un délit : signalez-les à la police ou au {$cyber}.

## Fausses images
fake-intro = Une fausse image sexuelle de vous reste une violence, et ce n'est pas votre faute. Faites une capture du lien, de la date et du compte, et signalez-la à l'application. Ne la partagez pas pour montrer qu'elle est fausse.
fake-remove = 18 ans ou plus ? StopNCII.org peut bloquer les copies d'une fausse image que vous avez sur votre appareil ; l'image n'en sort jamais. Il ne trouve pas les nouvelles fausses images. Si la personne montrée a moins de 18 ans, ne la gardez pas : signalez le lien et appelez le {$child}.

## Parler à un conseiller : d'abord un contact sûr
talk-call = Un conseiller peut-il vous appeler sans danger sur ce numéro ?
talk-when = Quand peut-on vous appeler sans danger ?
time-morning = Matin (8h-12h)
time-afternoon = Après-midi (12h-17h)
time-evening = Soir (17h-21h)
time-any = À tout moment
talk-note = En quelques mots, que se passe-t-il ? Envoyez 1 pour passer.
talk-consent = Pouvons-nous utiliser des informations anonymes sur votre demande pour améliorer ce service ?
talk-sms = Peut-on vous envoyer des SMS sans danger sur ce numéro ? Les messages restent dans le téléphone.
talk-done = Merci. Un conseiller vous contactera seulement de la façon que vous avez choisie. En danger maintenant ? Appelez le {$police}.
talk-no-contact = Nous ne vous contacterons pas. Quand vous pouvez, appelez le {$support} (gratuit) depuis un téléphone sûr. En danger ? Appelez le {$police}.

## Escalation: pages and answers to counsellors (SMS)
page = SALAMA cas {$code} : {$urgency} {$category}, langue {$lang}. Appel : {$call}. SMS : {$sms}. Répondez ACK {$code} pour le prendre.
page-unanswered = SALAMA cas {$code} SANS RÉPONSE : {$urgency} {$category}, langue {$lang}. Répondez ACK {$code} pour le prendre.
cmd-acked = Le cas {$code} est à vous. Appel : {$call}. SMS : {$sms}. Pour lui écrire : {$code} votre texte. APPELER {$code} pour son numéro. FERMER {$code} à la fin.
cmd-taken = Le cas {$code} est déjà pris par {$name}.
cmd-no-case = Aucun cas ouvert {$code}.
cmd-no-pending = Aucun cas ne vous attend : envoyez ACK avec le code du cas.
cmd-not-yours = Le cas {$code} n'est pas à vous : envoyez d'abord ACK {$code}.
cmd-sms-unsafe = Elle a dit que les SMS ne sont pas sûrs : rien n'a été envoyé.
cmd-relayed = Envoyé à {$code}.
cmd-call = Cas {$code} : son numéro est {$number}. Moment sûr : {$time}.
cmd-call-unsafe = Cas {$code} : elle a dit qu'un appel n'est pas sûr. N'appelez pas.
cmd-call-outside = Cas {$code} : elle a dit que les appels sont sûrs seulement {$time}. Ce n'est pas le moment.
cmd-passed = Cas {$code} transmis au niveau suivant.
cmd-closed = Cas {$code} fermé.
cmd-who = De garde : {$names}.
cmd-help = ACK code : prendre un cas. code texte : lui écrire. APPELER code : son numéro. PASSER code. FERMER code résultat. QUI : qui est de garde.
relay-from-survivor = {$code} : {$text}
triage-critical = Si vous êtes en danger maintenant, appelez le {$police} (gratuit). Nous alertons un conseiller.
case-unanswered = Nous n'avons pas encore pu joindre un conseiller. En danger ? Appelez le {$police} (gratuit). Soutien : {$support}.
