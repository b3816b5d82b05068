from rest_framework import serializers

from netwerkregie.intake.models import ObservationCategory, Signal
from netwerkregie.intake.services import MAX_REASON, MAX_SHORT, MAX_TEXT, SignalInput
from netwerkregie.network.models import Neighbourhood


class SignalSubmissionSerializer(serializers.Serializer):
    """What a partner system sends. Identity fields beyond the name are optional; there is no
    field for religion, origin, nationality or the like."""

    description = serializers.CharField(max_length=MAX_TEXT, help_text="What was seen or heard: behaviour.")
    observations = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="code",
                                           queryset=ObservationCategory.objects.filter(is_active=True)),
        required=False, default=list, help_text="Codes from the observation catalogue.",
    )
    context = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    observed_since = serializers.DateField(required=False, allow_null=True, default=None)
    acute_danger = serializers.BooleanField(required=False, default=False)
    subject_name = serializers.CharField(max_length=MAX_SHORT)
    subject_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    subject_neighbourhood = serializers.SlugRelatedField(
        slug_field="code", queryset=Neighbourhood.objects.all(), required=False, allow_null=True, default=None,
    )
    subject_school = serializers.CharField(max_length=MAX_SHORT, required=False, allow_blank=True, default="")
    special_category_reason = serializers.CharField(
        max_length=MAX_REASON, required=False, allow_blank=True, default="",
        help_text="Required when the text mentions a special category of personal data: why it is necessary.",
    )

    def to_input(self) -> SignalInput:
        data = self.validated_data
        return SignalInput(
            description=data["description"], subject_name=data["subject_name"],
            observation_codes=[o.code for o in data["observations"]], context=data["context"],
            observed_since=data["observed_since"], acute_danger=data["acute_danger"],
            subject_birth_date=data["subject_birth_date"],
            subject_neighbourhood_id=data["subject_neighbourhood"].pk if data["subject_neighbourhood"] else None,
            subject_school=data["subject_school"], special_category_reason=data["special_category_reason"],
        )


class SignalStatusSerializer(serializers.Serializer):
    """The submitter's view: reference, date and status. Never the handling. (Declared, not a
    ModelSerializer: that one derives its fields from the model again for every response.)"""

    reference = serializers.CharField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    def get_status(self, signal: Signal) -> str:
        return signal.submitter_status.value

    def get_status_label(self, signal: Signal) -> str:
        return str(signal.submitter_status.label)

    def get_message(self, signal: Signal) -> str:
        if signal.acute_danger:
            return "Acute danger: call 112 or the police now. / Acuut gevaar: bel nu 112 of de politie."
        return ""
