"""The admin's image form: a file whose first bytes say "image" but which Pillow cannot decode
is refused with the form's own message, not a server error.

Wagtail recognises an image by its signature, then asks Willow for its size, which decodes it
with Pillow. When that fails (a PNG signature followed by HTML, a file cut short in transfer)
the error escapes the form as a server error (wagtail/wagtail#1354). Set as
``WAGTAILIMAGES_IMAGE_FORM_BASE``, so the single and the drag-and-drop upload both use it.
"""

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class ReadableImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, ValueError, SyntaxError, EOFError) as unreadable:  # Pillow's ways of failing
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from unreadable


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail builds the field itself (get_image_form's formfield_callback), so the checked
        # kind is put in its place rather than declared: the drag-and-drop editor drops the file
        # field, which a declared field would survive.
        if type(field) is WagtailImageField:
            field.__class__ = ReadableImageField
