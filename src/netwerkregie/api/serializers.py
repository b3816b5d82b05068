from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.intake.models import ObservationCategory, Signal, SubmitterStatus
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


# What a partner system sends. Identity fields beyond the name are optional; there is no field for
# religion, origin, nationality or the like. (Comments, not docstrings, on the serializers of this module:
# drf-spectacular would publish a docstring in the OpenAPI document; help_text is what integrators read.)
class SignalSubmissionSerializer(serializers.Serializer):
    description = serializers.CharField(
        max_length=MAX_TEXT, help_text="What was seen or heard: the behaviour, in the submitter's own words.")
    observations = BoundedListField(
        child=serializers.SlugField(max_length=CODE_LENGTH), max_length=MAX_OBSERVATIONS,
        required=False, default=list,
        help_text=f"Codes of what was observed, at most {MAX_OBSERVATIONS}: the codes listed by GET "
                  "/observation-categories. A code that is not listed there is refused (400).",
    )
    context = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default="",
        help_text="Circumstances that help to understand the signal (where, when, who else noticed it).")
    observed_since = serializers.DateField(required=False, allow_null=True, default=None,
                                           help_text="Since when the behaviour has been seen; not in the future.")
    acute_danger = serializers.BooleanField(
        required=False, default=False,
        help_text="True when there is acute danger. The signal is recorded, and the answer's message says to "
                  "call 112 or the police at once: this API is no substitute for that call.")
    subject_name = serializers.CharField(max_length=MAX_SHORT, validators=[no_hidden_characters],
                                         help_text="The name of the person the signal is about.")
    subject_birth_date = serializers.DateField(required=False, allow_null=True, default=None,
                                               help_text="The person's date of birth, if known; not in the future.")
    subject_neighbourhood = serializers.SlugRelatedField(
        slug_field="code", queryset=Neighbourhood.objects.all(), required=False, allow_null=True, default=None,
        help_text="The code of the neighbourhood where the person lives or the behaviour was seen: one of the "
                  "codes listed by GET /neighbourhoods.",
    )
    subject_school = serializers.CharField(max_length=MAX_SHORT, required=False, allow_blank=True, default="",
                                           validators=[no_hidden_characters],
                                           help_text="The person's school, if relevant.")
    special_category_reason = serializers.CharField(
        max_length=MAX_REASON, required=False, allow_blank=True, default="",
        help_text="Required when the text mentions a special category of personal data (such as religion or "
                  "origin): why mentioning it is necessary. Without it such a signal is refused (422).",
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


# The submitter's view: reference, date and status. Never the handling. (Declared, not a ModelSerializer:
# that one derives its fields from the model again for every response.)
class SignalStatusSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True, help_text="The signal's reference: quote it in contact "
                                                                "with the municipality, and read the status with it.")
    received_at = serializers.DateTimeField(read_only=True, help_text="When the signal was received.")
    status = serializers.SerializerMethodField(
        help_text="received: not yet looked at; being_handled: on the agenda, or its handling goes on; "
                  "handled: handling has ended. The handling itself is never shown.")
    status_label = serializers.SerializerMethodField(
        help_text="The status in words, in the language asked for with Accept-Language.")
    message = serializers.SerializerMethodField(
        help_text="A message for the person who submitted the signal; empty when there is none.")

    @extend_schema_field(serializers.ChoiceField(choices=SubmitterStatus.choices))
    def get_status(self, signal: Signal) -> str:
        return signal.submitter_status.value

    def get_status_label(self, signal: Signal) -> str:
        return str(signal.submitter_status.label)

    def get_message(self, signal: Signal) -> str:
        if signal.acute_danger:
            return "Acute danger: call 112 or the police now. / Acuut gevaar: bel nu 112 of de politie."
        return ""
