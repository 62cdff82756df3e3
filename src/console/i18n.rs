//! The console's words in English, Swahili and French, chosen by each user (kept in their
//! session). The survivors' messages live in `locales/`; these are for staff only, so they
//! stay in one table here that a test checks is complete.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Sw,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Sw, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sw => "sw",
            Lang::Fr => "fr",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Sw => "Kiswahili",
            Lang::Fr => "Français",
        }
    }

    /// A language code; anything else is English.
    pub fn parse(code: &str) -> Lang {
        Lang::ALL.into_iter().find(|l| l.code() == code).unwrap_or(Lang::En)
    }
}

/// (key, English, Swahili, French).
const WORDS: &[(&str, &str, &str, &str)] = &[
    ("nav-cases", "Cases", "Kesi", "Dossiers"),
    ("nav-rota", "Rota", "Ratiba", "Planning"),
    ("nav-outbox", "Outbox", "SMS zinazosubiri", "Envois"),
    ("nav-reports", "Reports", "Ripoti", "Rapports"),
    ("nav-erase", "Erasure", "Kufuta data", "Effacement"),
    ("nav-simulator", "Simulator", "Kiigaji", "Simulateur"),
    ("language", "Language", "Lugha", "Langue"),
    ("change", "Change", "Badilisha", "Changer"),
    ("sign-in", "Sign in", "Ingia", "Se connecter"),
    ("sign-out", "Sign out", "Toka", "Se déconnecter"),
    ("user-name", "User name", "Jina la mtumiaji", "Nom d'utilisateur"),
    ("password", "Password", "Nenosiri", "Mot de passe"),
    ("login-failed", "Wrong user name or password.", "Jina au nenosiri si sahihi.", "Nom ou mot de passe incorrect."),
    (
        "login-locked",
        "Too many failed sign-ins: wait 15 minutes.",
        "Majaribio mengi yameshindwa: subiri dakika 15.",
        "Trop d'échecs : attendez 15 minutes.",
    ),
    (
        "csrf-refused",
        "This form is out of date: reload the page and try again.",
        "Fomu hii imepitwa na wakati: pakia ukurasa upya ujaribu tena.",
        "Ce formulaire a expiré : rechargez la page et réessayez.",
    ),
    (
        "supervisors-only",
        "Only supervisors can do this.",
        "Wasimamizi pekee wanaweza kufanya hivi.",
        "Réservé aux superviseurs.",
    ),
    ("role-supervisor", "supervisor", "msimamizi", "superviseur"),
    ("role-viewer", "viewer", "mtazamaji", "lecteur"),
    ("no-open-cases", "No open cases.", "Hakuna kesi zilizo wazi.", "Aucun dossier ouvert."),
    (
        "board-live",
        "This board updates by itself when a case arrives or changes.",
        "Ubao huu hujisasisha kesi inapoingia au kubadilika.",
        "Ce tableau se met à jour seul quand un dossier arrive ou change.",
    ),
    ("urgency", "Urgency", "Dharura", "Urgence"),
    ("critical", "critical", "hatari", "critique"),
    ("high", "high", "juu", "haute"),
    ("normal", "normal", "kawaida", "normale"),
    ("code", "Code", "Msimbo", "Code"),
    ("waiting", "Waiting", "Imesubiri", "Attente"),
    ("helpline", "Helpline", "Simu ya msaada", "Ligne d'écoute"),
    ("channel", "Channel", "Njia", "Canal"),
    ("state", "State", "Hali", "État"),
    ("open", "open", "wazi", "ouvert"),
    ("paging", "paging", "inaitwa", "appel en cours"),
    ("acknowledged", "acknowledged", "imepokelewa", "pris en charge"),
    ("closed", "closed", "imefungwa", "clos"),
    ("unanswered", "unanswered", "haijajibiwa", "sans réponse"),
    ("paged", "Paged", "Walioitwa", "Appelés"),
    ("acknowledged-by", "Acknowledged by", "Imepokelewa na", "Pris en charge par"),
    ("case", "Case", "Kesi", "Dossier"),
    ("call-safe", "Safe to call", "Salama kupiga simu", "Appel sans danger"),
    ("sms-safe", "Safe to text", "Salama kutuma SMS", "SMS sans danger"),
    ("yes", "yes", "ndiyo", "oui"),
    ("no", "no", "hapana", "non"),
    ("not-asked", "not asked", "hakuulizwa", "pas demandé"),
    ("number", "Her number", "Namba yake", "Son numéro"),
    ("reveal", "Reveal her number", "Onyesha namba yake", "Afficher son numéro"),
    (
        "reveal-logged",
        "Shown to you; written to the case's audit trail.",
        "Umeonyeshwa; imeandikwa kwenye kumbukumbu za kesi.",
        "Affiché pour vous ; inscrit au journal du dossier.",
    ),
    (
        "reveal-unsafe",
        "She did not say a call is safe.",
        "Hakusema kwamba kupiga simu ni salama.",
        "Elle n'a pas dit qu'un appel était sans danger.",
    ),
    (
        "no-number",
        "No number is kept for this case.",
        "Hakuna namba iliyohifadhiwa kwa kesi hii.",
        "Aucun numéro conservé pour ce dossier.",
    ),
    (
        "viewer-note",
        "Viewers can look but not act.",
        "Watazamaji wanaweza kuona tu.",
        "Les lecteurs peuvent consulter, pas agir.",
    ),
    ("timeline", "Timeline", "Matukio", "Historique"),
    ("actions", "Actions", "Hatua", "Actions"),
    ("reassign", "Reassign", "Mpe mwingine", "Réattribuer"),
    ("reassign-to", "Reassign to", "Mpe", "Réattribuer à"),
    ("repage", "Re-page now", "Ita tena sasa", "Relancer l'appel"),
    ("close", "Close", "Funga", "Clore"),
    ("outcome", "Outcome (optional)", "Matokeo (si lazima)", "Issue (facultatif)"),
    (
        "no-such-case",
        "No open case with that code.",
        "Hakuna kesi wazi yenye msimbo huo.",
        "Aucun dossier ouvert avec ce code.",
    ),
    (
        "no-counsellor",
        "No such counsellor in the rota.",
        "Mshauri huyo hayupo kwenye ratiba.",
        "Ce conseiller n'est pas au planning.",
    ),
    (
        "case-changed",
        "The case changed meanwhile: look again.",
        "Kesi imebadilika: angalia tena.",
        "Le dossier a changé entre-temps : regardez à nouveau.",
    ),
    ("done-closed", "Case closed.", "Kesi imefungwa.", "Dossier clos."),
    ("done-repaged", "Paged again.", "Imeitwa tena.", "Appel relancé."),
    ("done-reassigned", "Reassigned.", "Amepewa mwingine.", "Réattribué."),
    ("done-retried", "Queued again.", "Imewekwa kwenye foleni tena.", "Remis en file."),
    ("rota-checks", "Gaps (as salama rota gaps)", "Mapengo (kama salama rota gaps)", "Trous (comme salama rota gaps)"),
    (
        "no-gaps",
        "No gaps in the next 7 days.",
        "Hakuna mapengo siku 7 zijazo.",
        "Aucun trou dans les 7 prochains jours.",
    ),
    ("nobody-on-call", "nobody on call", "hakuna aliye zamu", "personne d'astreinte"),
    (
        "no-valid-phone",
        "no valid phone: pages cannot reach them",
        "hana namba sahihi: hawezi kuitwa",
        "pas de numéro valide : injoignable",
    ),
    ("on-call-now", "On call now", "Walio zamu sasa", "D'astreinte maintenant"),
    ("on-call", "On call", "Zamu", "Astreinte"),
    ("overrides", "Overrides", "Mabadiliko ya zamu", "Remplacements"),
    ("next-days", "Next 7 days", "Siku 7 zijazo", "7 prochains jours"),
    ("from", "From", "Kuanzia", "De"),
    ("to", "To", "Hadi", "À"),
    ("gap", "GAP", "PENGO", "TROU"),
    (
        "rota-note",
        "Times are the schedule's local time. (!) marks a counsellor without a valid phone.",
        "Saa ni za eneo la ratiba. (!) ni mshauri asiye na namba sahihi.",
        "Heures locales du planning. (!) : conseiller sans numéro valide.",
    ),
    ("due-now", "Due now", "Zinazosubiri sasa", "À envoyer maintenant"),
    (
        "pending",
        "Still to send (with retries)",
        "Bado kutumwa (pamoja na majaribio)",
        "Restant à envoyer (avec reprises)",
    ),
    ("oldest-waiting", "Oldest waiting", "Iliyosubiri zaidi", "Plus ancienne attente"),
    ("dead-letters", "Dead letters", "Zilizoshindikana", "Échecs définitifs"),
    ("no-dead-letters", "No dead letters.", "Hakuna zilizoshindikana.", "Aucun échec définitif."),
    ("attempts", "Attempts", "Majaribio", "Tentatives"),
    ("reason", "Reason", "Sababu", "Raison"),
    ("retry", "Retry", "Jaribu tena", "Réessayer"),
    ("csv", "Download CSV", "Pakua CSV", "Télécharger le CSV"),
    (
        "report-note",
        "Only cases whose survivor agreed to anonymous use. Counts below this are hidden:",
        "Kesi ambazo mwathirika alikubali tu. Idadi chini ya hii imefichwa:",
        "Seulement les dossiers avec accord. Les nombres inférieurs sont masqués :",
    ),
    (
        "no-report",
        "No consented cases yet.",
        "Bado hakuna kesi zilizokubaliwa.",
        "Aucun dossier avec accord pour l'instant.",
    ),
    ("week", "Week", "Wiki", "Semaine"),
    ("category", "Category", "Aina", "Catégorie"),
    ("cases", "Cases", "Kesi", "Dossiers"),
    (
        "erase-intro",
        "Erase everything kept for a survivor's number: sessions, messages, and her contact details in cases.",
        "Futa kila kitu kilichohifadhiwa kwa namba ya mwathirika: vikao, ujumbe na mawasiliano yake kwenye kesi.",
        "Effacer tout ce qui est conservé pour un numéro : sessions, messages et coordonnées dans les dossiers.",
    ),
    ("erase-next", "Next", "Endelea", "Suivant"),
    (
        "erase-confirm",
        "This cannot be undone. Erase everything kept for",
        "Hili haliwezi kutenduliwa. Futa kila kitu cha",
        "Irréversible. Tout effacer pour",
    ),
    ("erase-now", "Erase now", "Futa sasa", "Effacer maintenant"),
    ("erased", "Erased.", "Imefutwa.", "Effacé."),
    (
        "bad-number",
        "That is not a valid phone number.",
        "Hiyo si namba sahihi ya simu.",
        "Ce n'est pas un numéro valide.",
    ),
    ("back", "Back", "Rudi", "Retour"),
    ("cancel", "Cancel", "Ghairi", "Annuler"),
    (
        "simulator-off",
        "The simulator is off: set console.test_numbers.",
        "Kiigaji kimezimwa: weka console.test_numbers.",
        "Le simulateur est désactivé : définissez console.test_numbers.",
    ),
    ("test-number", "TEST number", "Namba ya MAJARIBIO", "Numéro de TEST"),
    (
        "simulator-note",
        "no case is opened and no SMS is sent for it.",
        "hakuna kesi inayofunguliwa wala SMS kutumwa.",
        "aucun dossier ouvert, aucun SMS envoyé.",
    ),
    (
        "simulator-help",
        "Choose a USSD code or an SMS number, then type what she would type.",
        "Chagua msimbo wa USSD au namba ya SMS, kisha andika kama yeye angeandika.",
        "Choisissez un code USSD ou un numéro SMS, puis tapez ce qu'elle taperait.",
    ),
    ("phone-idle", "Ready.", "Tayari.", "Prêt."),
    ("dial", "Dial / text", "Piga / tuma", "Appeler / écrire"),
    ("send", "Send", "Tuma", "Envoyer"),
    ("hang-up", "Hang up", "Kata simu", "Raccrocher"),
    ("reply", "Reply", "Jibu", "Réponse"),
    ("session-ended", "session ended", "kikao kimeisha", "session terminée"),
];

/// A word in a language; an unknown key is shown as itself.
pub fn t(lang: Lang, key: &str) -> &str {
    match WORDS.iter().find(|w| w.0 == key) {
        Some((_, en, sw, fr)) => match lang {
            Lang::En => en,
            Lang::Sw => sw,
            Lang::Fr => fr,
        },
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_every_language_and_keys_are_unique() {
        let mut keys: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), WORDS.len(), "a key appears twice");
        for (key, en, sw, fr) in WORDS {
            assert!(!en.is_empty() && !sw.is_empty() && !fr.is_empty(), "{key}");
        }
        assert_eq!(t(Lang::Sw, "nav-cases"), "Kesi");
        assert_eq!(Lang::parse("xx"), Lang::En);
    }
}
