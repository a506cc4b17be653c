from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "presisi.synth"
    label = "synth"
