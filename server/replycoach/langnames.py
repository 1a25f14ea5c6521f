"""Language names, for messages ("reply in Russian") in the UI language."""
from __future__ import annotations

NAMES = {
    "en": {"en": "English", "ru": "Russian", "af": "Afrikaans", "el": "Greek", "et": "Estonian",
           "uk": "Ukrainian", "de": "German", "nl": "Dutch", "fi": "Finnish", "lv": "Latvian",
           "lt": "Lithuanian", "bg": "Bulgarian", "fr": "French", "es": "Spanish", "it": "Italian",
           "pl": "Polish", "pt": "Portuguese", "tr": "Turkish"},
    "ru": {"en": "английском", "ru": "русском", "af": "африкаанс", "el": "греческом", "et": "эстонском",
           "uk": "украинском", "de": "немецком", "nl": "нидерландском", "fi": "финском", "lv": "латышском",
           "lt": "литовском", "bg": "болгарском", "fr": "французском", "es": "испанском", "it": "итальянском",
           "pl": "польском", "pt": "португальском", "tr": "турецком"},
    "af": {"en": "Engels", "ru": "Russies", "af": "Afrikaans", "el": "Grieks", "et": "Estnies",
           "uk": "Oekraïens", "de": "Duits", "nl": "Nederlands", "fi": "Fins", "lv": "Letties",
           "lt": "Litaus", "bg": "Bulgaars", "fr": "Frans", "es": "Spaans", "it": "Italiaans",
           "pl": "Pools", "pt": "Portugees", "tr": "Turks"},
    "el": {"en": "αγγλικά", "ru": "ρωσικά", "af": "αφρικάανς", "el": "ελληνικά", "et": "εσθονικά",
           "uk": "ουκρανικά", "de": "γερμανικά", "nl": "ολλανδικά", "fi": "φινλανδικά", "lv": "λετονικά",
           "lt": "λιθουανικά", "bg": "βουλγαρικά", "fr": "γαλλικά", "es": "ισπανικά", "it": "ιταλικά",
           "pl": "πολωνικά", "pt": "πορτογαλικά", "tr": "τουρκικά"},
    "et": {"en": "inglise", "ru": "vene", "af": "afrikaani", "el": "kreeka", "et": "eesti",
           "uk": "ukraina", "de": "saksa", "nl": "hollandi", "fi": "soome", "lv": "läti",
           "lt": "leedu", "bg": "bulgaaria", "fr": "prantsuse", "es": "hispaania", "it": "itaalia",
           "pl": "poola", "pt": "portugali", "tr": "türgi"},
}


def name(code: str, ui: str) -> str:
    table = NAMES.get(ui) or NAMES["en"]
    return table.get(code) or NAMES["en"].get(code) or code
