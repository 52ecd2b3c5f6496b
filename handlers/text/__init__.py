"""Reading what people type: numbers the Vietnamese way, chat abbreviations and teencode."""
