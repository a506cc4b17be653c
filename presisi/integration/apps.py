from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "presisi.integration"
    label = "integration"
    verbose_name = "Integrasi data sektoral"

    def ready(self) -> None:
        # spatial layers: recompute exposure whenever the indicator engine computes a period
        from presisi.indicators.eksternal import nilai_dihitung
        from presisi.integration.services.spasial_paparan import saat_indikator_dihitung

        nilai_dihitung.connect(saat_indikator_dihitung, dispatch_uid="integration.spasial.paparan")
