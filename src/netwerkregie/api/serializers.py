from rest_framework import serializers

from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.intake.models import ObservationCategory, Signal
from netwerkregie.intake.services import MAX_REASON, MAX_SHORT, MAX_TEXT, SignalInput
from netwerkregie.network.models import Neighbourhood

# The catalogue holds about ten observations; a list longer than this is not a signal. The codes are
# checked by the domain (intake.services.validate_signal) in one query, not one query per code.
MAX_OBSERVATIONS = 50
CODE_LENGTH = ObservationCategory._meta.get_field("code").max_length


class BoundedListField(serializers.ListField):
    """A ListField that refuses a list over ``max_length`` before it validates the items one by one
    (DRF's checks the length only after every item)."""

    def to_internal_value(self, data: object) -> list:
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class SignalSubmissionSerializer(serializers.Serializer):
    """What a partner system sends. Identity fields beyond the name are optional; there is no
    field for religion, origin, nationality or the like."""

    description = serializers.CharField(max_length=MAX_TEXT, help_text="What was seen or heard: behaviour.")
    observations = BoundedListField(
        child=serializers.SlugField(max_length=CODE_LENGTH), max_length=MAX_OBSERVATIONS,
        required=False, default=list,
        help_text=f"Codes from the observation catalogue, at most {MAX_OBSERVATIONS}; unknown codes are refused. "
                  "All codes are looked up at once.",
    )
    context = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    observed_since = serializers.DateField(required=False, allow_null=True, default=None)
    acute_danger = serializers.BooleanField(required=False, default=False)
    subject_name = serializers.CharField(max_length=MAX_SHORT, validators=[no_hidden_characters])
    subject_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    subject_neighbourhood = serializers.SlugRelatedField(
        slug_field="code", queryset=Neighbourhood.objects.all(), required=False, allow_null=True, default=None,
    )
    subject_school = serializers.CharField(max_length=MAX_SHORT, required=False, allow_blank=True, default="",
                                           validators=[no_hidden_characters])
    special_category_reason = serializers.CharField(
        max_length=MAX_REASON, required=False, allow_blank=True, default="",
        help_text="Required when the text mentions a special category of personal data: why it is necessary.",
    )

    def to_input(self) -> SignalInput:
        data = self.validated_data
        return SignalInput(
            description=data["description"], subject_name=data["subject_name"],
            observation_codes=data["observations"], context=data["context"],
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
