# Le chemin de crise (issue 16). Voir locales/en/crisis.ftl.

## Survivante
opt-reach = Peut-on vous contacter ?
crisis-reach = Un conseiller peut-il vous contacter sans danger ?
crisis-reach-call = Oui, un appel
crisis-reach-sms-only = SMS seulement
crisis-reach-none = Aucun des deux
crisis-unstaffed = Aucun conseiller n'est de service en ce moment. En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Soutien : INF, {$support}.
crisis-reach-sms = En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Un conseiller peut-il vous contacter ? Répondez 1 appel sans danger, 2 SMS sans danger, 3 aucun (personne ne vous contactera ; appelez l'INF au {$support} quand vous pouvez).
crisis-reach-sms-nobody = Aucun conseiller n'est de service en ce moment. En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Soutien : INF, {$support}. Plus tard, un conseiller peut-il vous contacter ? Répondez 1 appel, 2 SMS, 3 aucun.
crisis-reach-sms-ok = Merci. Un conseiller vous écrira ici.
sms-neutral-first-to = Bonjour. Envoyez 1 au {$number} pour continuer, ou 00 pour arrêter.

## Conseillers
not-asked = pas demandé
crisis-her-note = Cas {$code}, ses mots : {$note}
crisis-she-left = Cas {$code} : La personne a quitté la conversation (sortie rapide). Ne la contactez pas sauf si elle écrit de nouveau.
cmd-she-left = Non envoyé. Cas {$code} : la personne a quitté la conversation (sortie rapide). Ne la contactez pas sauf si elle écrit de nouveau.
# A supervisor reassigned a case in the console: to the new holder, then to the one who had it.
case-given = Un superviseur vous a confié le dossier {$code}. Appel possible : {$call}. SMS : {$sms}. Pour écrire à la personne, envoyez {$code} puis votre texte. Envoyez APPELER {$code} pour avoir son numéro, FERMER {$code} à la fin.
case-taken-from-you = Un superviseur a confié le dossier {$code} à {$name}. Il n'est plus à vous : ne contactez pas la personne à son sujet.
